from cloudcanvas.cli.main import main

main()
