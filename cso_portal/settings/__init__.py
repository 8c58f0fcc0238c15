"""Settings package: ``base`` holds what every environment shares; ``dev``, ``test`` and
``prod`` refine it. ``DJANGO_ENV`` picks one (see ``cso_portal.envsettings``)."""
