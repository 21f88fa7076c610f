"""Inspections: plans (models added in the following commits)."""
