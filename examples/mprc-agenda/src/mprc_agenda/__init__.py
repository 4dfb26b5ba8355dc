"""A commune events agenda for MPRC CMS (module key ``agenda``): see README.md."""
