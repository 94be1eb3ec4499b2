from ghqa.cli import main

main()
