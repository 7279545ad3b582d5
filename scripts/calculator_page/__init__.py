"""The calculator page's build step: its form data and roster template (form.py), written by the mkdocs
hook hooks.py after the runtime is in place."""
