"""tracker: an event-sourced defence-procurement tracker."""

__version__ = "0.1.0"
