"""Typed, frozen objects that cross stage boundaries."""
