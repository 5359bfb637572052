"""Validation of the models against real battles (one module per battle or data set)."""
