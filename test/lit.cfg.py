# -*- Python -*-
# lit configuration for quant-opt's FileCheck tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "QUANT_OPT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.qnn_obj_root, "test")
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py"]

# FileCheck variables are scoped to a CHECK-LABEL block, as upstream MLIR does.
config.environment["FILECHECK_OPTS"] = "-enable-var-scope --allow-unused-prefixes=false"

llvm_config.use_default_substitutions()
config.substitutions.append(("%qnn_src_root", config.qnn_src_root))
config.substitutions.append(("%qnn_obj_root", config.qnn_obj_root))
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.qnn_tools_dir, config.llvm_tools_dir]
tools = [ToolSubst("quant-opt", unresolved="fatal")]
llvm_config.add_tool_substitutions(tools, tool_dirs)
