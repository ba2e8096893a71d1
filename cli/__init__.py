"""The `regelwerk` command line: one module per command group, registered in `cli.main`."""
