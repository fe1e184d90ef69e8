"""Segmentation service: behavioural features and segments over pseudonymous subjects."""
