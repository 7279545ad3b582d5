"""One module per programme."""
