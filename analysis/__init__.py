"""Models, data and build of the book on the economics of ByteDance's AI bet.

Importing the package does no work: modules are imported where they are used.
"""
