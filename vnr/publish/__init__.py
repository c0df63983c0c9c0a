"""Publishing a build: the manifest, which outputs a rebuild keeps (cache), outputs replaced as one set (swap)."""
