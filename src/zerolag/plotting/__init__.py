"""Figures, drawn from tidy tables; no computation here."""
