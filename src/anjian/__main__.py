from anjian.manage import main

main()
