"""Renderers: they format what they are given and never read files or run rules."""
