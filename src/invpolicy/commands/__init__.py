"""Commands that are imported only when they run."""
