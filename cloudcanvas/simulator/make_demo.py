"""Rewrite environments/demo.json from the generator: `python -m cloudcanvas.simulator.make_demo`."""

from pathlib import Path

from cloudcanvas.simulator.generator import demo_environment

if __name__ == "__main__":
    demo_environment().to_file(Path(__file__).parent / "environments" / "demo.json")
