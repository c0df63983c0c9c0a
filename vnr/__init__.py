"""vnr: a Voluntary National Review assembled from YAML chapters and seminar feedback."""

__version__ = "0.1.0"
