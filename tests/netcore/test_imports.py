import subprocess
import sys


def test_netcore_imports_neither_streamlit_nor_plotly():
    code = ("import sys, netcore; bad = [m for m in ('streamlit', 'plotly', 'pandas') if m in sys.modules];"
            "print(','.join(bad)); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, f"netcore pulled in: {out.stdout} {out.stderr}"
