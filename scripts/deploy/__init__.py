"""Helpers for scripts/deploy_test.py: the local moto endpoint, the aws CLI wrapper, template
reading and intrinsic resolution, and the per-resource-type verifiers."""
