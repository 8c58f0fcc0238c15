"""The holder-facing linking pages: link.py (the link flow and request status), courts.py
(My courts) and ecf.py (each court's simulated ECF site). Each view parses, authorizes
through linking.access, makes one service call and turns the outcome into a response."""
