"""The declarative HTTP connector: spec loading/validation, templates and the request engine."""
