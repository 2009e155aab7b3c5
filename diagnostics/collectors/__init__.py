"""Built-in collectors, registered through the ``flare.collectors`` entry-point group."""
