"""Pure figure builders: arrays or DataFrames in, ``plotly.graph_objects.Figure`` out. No Streamlit."""
