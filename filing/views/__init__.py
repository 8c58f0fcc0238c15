"""Views of the filing app: ``registration`` (e-file registration requests), ``agents``
(filing agents, Change User), ``ecf`` (search, dockets, documents, filing, NEF free look)."""
