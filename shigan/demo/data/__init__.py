"""The demo district's content, as plain data; shigan.demo.district loads it."""
