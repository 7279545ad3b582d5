"""石桥镇社会救助测算器: standard-library eligibility estimates from the compiled policy bundle."""
