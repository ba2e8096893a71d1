"""The iStandaarden messages: reading, validating and writing the XML and JSON forms of the
messages a region exchanges with its providers. Nothing here knows rules or regions; the
engine never imports this package (the batch application and the service bring the two
together)."""
