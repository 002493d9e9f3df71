"""The data dlint reasons about: spans, parsed files and findings. Imports nothing else of dlint."""
