"""The asset_function example's handler: packed with greeting.py into one zip."""

from greeting import greet


def handler(event, context):
    return {"message": greet((event or {}).get("name", "world"))}
