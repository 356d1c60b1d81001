# -*- Python -*-
# lit configuration for quant-opt's FileCheck tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "QUANT_OPT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.qnn_obj_root, "test")
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]

# FileCheck variables are scoped to a CHECK-LABEL block, as upstream MLIR does.
config.environment["FILECHECK_OPTS"] = "-enable-var-scope --allow-unused-prefixes=false"

llvm_config.use_default_substitutions()
config.substitutions.append(("%qnn_src_root", config.qnn_src_root))
config.substitutions.append(("%qnn_obj_root", config.qnn_obj_root))
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.qnn_tools_dir, config.llvm_tools_dir]
tools = [
    ToolSubst("quant-opt", unresolved="fatal"),
    ToolSubst("qnn-npy-tool", unresolved="fatal"),
    ToolSubst("quant-import-onnx", unresolved="ignore"),
    ToolSubst("quant-run", unresolved="ignore"),
    ToolSubst("qnn-calib-tool", unresolved="ignore"),
    ToolSubst("qnn-requant-ref", unresolved="ignore"),
    ToolSubst("qnn-interpret", unresolved="ignore"),
    ToolSubst("quant-compile", unresolved="ignore"),
    ToolSubst("quant-translate", unresolved="ignore"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Test helpers (ONNX model makers, NumPy references) need Debian's python3
# with numpy and onnx, not whatever python3 is first on PATH.
config.substitutions.append(("%python", "/usr/bin/python3"))
config.substitutions.append(("%test_utils", os.path.join(config.test_source_root, "Utils")))

# The real networks of ../shared/models (beside the repository). Tests that
# need them say `REQUIRES: shared-models` and are reported UNSUPPORTED, not
# failed, when the folder is absent.
shared_models = os.path.join(os.path.dirname(config.qnn_src_root), "shared", "models")
if os.path.isdir(shared_models):
    config.available_features.add("shared-models")
config.substitutions.append(("%shared_models", shared_models))

# Debian's python3-torch (PyTorch 1.13), the reference for the calibration
# observers. Tests that need it say `REQUIRES: torch`.
import subprocess
if subprocess.run(["/usr/bin/python3", "-c", "import torch"],
                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
    config.available_features.add("torch")
# Debian's python3-sklearn: its bundled digits train the ReLU6 test network.
if subprocess.run(["/usr/bin/python3", "-c", "import sklearn"],
                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
    config.available_features.add("sklearn")

# Debian's chromium renders the HTML report of quant-compile headless.
# Tests that need it say `REQUIRES: chromium`.
import shutil
chromium = shutil.which("chromium")
if chromium:
    config.available_features.add("chromium")
    config.substitutions.append(("%chromium", chromium))

# The reference material of ../shared/reference (format examples). Tests
# that read it say `REQUIRES: shared-reference`.
shared_reference = os.path.join(os.path.dirname(config.qnn_src_root), "shared", "reference")
if os.path.isdir(shared_reference):
    config.available_features.add("shared-reference")
config.substitutions.append(("%shared_reference", shared_reference))
