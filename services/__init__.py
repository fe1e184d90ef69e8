"""The four couponry services and the `couponry` command."""
