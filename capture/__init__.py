"""Screen capture for Flare, without Qt.

Grab monitors or regions (mss; the desktop portal on Wayland), burn a timestamp into each image,
record numbered steps, keep an opt-in in-memory instant replay, render annotations and solid
redactions at export, and encode the result. The Qt toolbar and annotator in ``app/ui`` only
drive these objects: annotations are plain :class:`app.report.Annotation` data.
"""
