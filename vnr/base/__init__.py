"""What every room of vnr uses and that uses nothing of vnr's above it: errors and positions,
the SDG framework and regions, official names, vnr's own words, the Markdown parser, charts, Office zips."""
