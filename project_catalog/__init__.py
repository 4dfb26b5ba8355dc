"""The project catalogue: commune projects and the network's library of project templates."""
