"""Data: the points the twins train on (generated, uploaded or edited), the test split, and a download."""

import hashlib

import streamlit as st

from dataio.export import dataset_csv
from dataio.upload import MAX_ROWS, MAX_UPLOAD_MB, dataset_table
from lesson.text import escape_markdown
from netcore import BOX
from netcore.datasets import LABELS
from session import custom
from settings.config import TEST_FRACTION_RANGE
from ui import render
from ui.state import lab
from viz.dataview import data_preview

state = lab()
style = render.current_style()
ss = st.session_state


# -- callbacks: they only change state; the rerun draws what it says --------------------------------------
def _uploader_key() -> str:
    return f"upload_{ss.get('upload_nonce', 0)}"


def _on_upload() -> None:
    ss.pop("data_error", None)
    file = ss.get(_uploader_key())
    if file is None:
        return
    try:
        custom.use_upload(state, file.getvalue(), file.name)
    except custom.UploadError as e:
        ss["data_error"] = str(e)
    except Exception:  # noqa: BLE001 - the parser is fuzzed to raise UploadError only; never show a trace
        ss["data_error"] = "This file could not be read. Check that it is a CSV with columns x1, x2, label."


def _back_to_generated() -> None:
    ss.pop("data_error", None)
    ss["upload_nonce"] = ss.get("upload_nonce", 0) + 1      # a fresh, empty uploader
    custom.use_generated(state)


def _mirror_test_fraction() -> None:
    ss["test_fraction"] = ss["data_test_fraction"]          # the sidebar's widget is the one source of truth


st.title("Data")
st.caption("The points both twins train on. Filled dots train the networks; hollow dots are the held-out test "
           "set, never trained on. New data always means new twins at step 0.")
render.notices(state)
if ss.get("data_error"):
    st.error("**That file was not used.** " + escape_markdown(ss["data_error"]))

# -- what the twins train on now ---------------------------------------------------------------------
source = st.container(border=True)
if state.custom:
    source.markdown("**The twins train on your own data** "
                    f"({'an uploaded file' if state.custom.origin.startswith('upload') else 'the edited points'}). "
                    "The sidebar's dataset, points and noise do not apply until you go back.")
    for note in state.custom.notes:
        source.text(note)
    source.button("Back to the generated data", key="back_to_generated", on_click=_back_to_generated,
                  help="New twins on the sidebar's generated dataset.")
else:
    c = state.config
    source.markdown(f"**Generated data:** {LABELS[c.dataset]}, {c.n_points} points, noise {c.noise:g}, "
                    f"seed {c.seed} (change them in the sidebar).")

left, right = st.columns([3, 2], gap="large")
with left:
    title = "Your data" if state.custom else LABELS[state.config.dataset]
    render.figure(data_preview((state.train.X, state.train.Y), (state.test.X, state.test.Y), BOX, style,
                               f"{title}: {state.data.m} points"), key="data-preview", filename="dataset")
with right:
    if ss.get("data_test_fraction") != ss.get("test_fraction"):
        ss["data_test_fraction"] = ss["test_fraction"]
    st.slider("Test fraction", *TEST_FRACTION_RANGE, step=0.05, key="data_test_fraction",
              on_change=_mirror_test_fraction,
              help="Share of the points held out as the test set (the same control as in the sidebar).")
    train0, train1 = state.train.class_counts()
    test0, test1 = state.test.class_counts()
    a, b = st.columns(2)
    a.metric("Training points", state.train.m)
    b.metric("Test points", state.test.m)
    st.table({"": ["class 0 (orange)", "class 1 (blue)"], "train": [train0, train1], "test": [test0, test1]},
             border="horizontal")
    st.download_button("Download these points (CSV)", data=dataset_csv(state.data), file_name="backprop-lab-data.csv",
                       mime="text/csv", key="download_data", on_click="ignore", icon=":material/download:",
                       help="Columns x1, x2, label. Upload it again to get the same points back.")

# -- upload --------------------------------------------------------------------------------------------
st.header("Upload your own CSV")
st.markdown(f"Three columns: two numbers **x1, x2** and a **label** with two values (0/1, −1/1, or any two "
            f"words or numbers). A header line is optional. Up to {MAX_UPLOAD_MB} MB; at most {MAX_ROWS:,} rows "
            "are used. The features are rescaled into the app's box if they lie outside it.")
if state.twins.step_count:
    st.caption(f"Uploading replaces the current twins (now at step {state.twins.step_count}) with new ones at step 0.")
st.file_uploader("CSV file", type=["csv", "txt", "tsv"], key=_uploader_key(), on_change=_on_upload)

# -- edit ------------------------------------------------------------------------------------------------
st.header("Edit the points")
st.caption(f"Change a coordinate (inside [−{BOX:g}, {BOX:g}]), flip a label, add rows at the bottom or delete "
           "selected rows, then train new twins on the result.")
fingerprint = hashlib.blake2b(state.data.X.tobytes() + state.data.Y.tobytes(), digest_size=6).hexdigest()
table = dataset_table(state.data)
edited = st.data_editor(
    table, key=f"editor_{fingerprint}", num_rows="dynamic", hide_index=True, height=300,
    column_config={
        "x1": st.column_config.NumberColumn("x1", min_value=-BOX, max_value=BOX, format="%.3f", required=True),
        "x2": st.column_config.NumberColumn("x2", min_value=-BOX, max_value=BOX, format="%.3f", required=True),
        "label": st.column_config.SelectboxColumn("label", options=[0, 1], required=True),
    })
if st.button("Train new twins on these points", key="apply_edits", type="primary"):
    if edited.equals(table):
        st.info("Nothing was edited yet: the points are the ones the twins already train on.")
        st.stop()
    try:
        custom.use_table(state, edited)
    except custom.UploadError as e:
        ss["data_error"] = str(e)
    else:
        ss.pop("data_error", None)
    st.rerun()
