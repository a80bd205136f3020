"""The machines' face: /api/v1/ with its OpenAPI document."""
