"""`tracker completion SHELL`: the script that gives tab completion in bash, zsh or fish."""

from __future__ import annotations

import click


@click.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script.

    Load it from your shell's start-up file (bash, zsh) or completions folder (fish).

    \b
    Example:
      tracker completion bash > ~/.tracker-complete.bash
      echo '. ~/.tracker-complete.bash' >> ~/.bashrc
      tracker completion zsh > ~/.tracker-complete.zsh   # source it in ~/.zshrc
      tracker completion fish > ~/.config/fish/completions/tracker.fish
    """
    from click.shell_completion import get_completion_class

    from tracker.cli.main import cli

    cls = get_completion_class(shell)
    assert cls is not None  # click.Choice has refused any shell click does not know
    source = cls(cli, {}, "tracker", "_TRACKER_COMPLETE").source()
    click.echo(source, nl=not source.endswith("\n"))
