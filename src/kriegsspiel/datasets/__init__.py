"""Battle data shipped with kriegsspiel, one subpackage or folder per source (see each README)."""
