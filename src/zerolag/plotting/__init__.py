"""Figures, drawn from tidy tables; no computation here beyond what a figure shows (glass_brain: the regions'
centroids and the strongest links, computed apart from the drawing)."""
