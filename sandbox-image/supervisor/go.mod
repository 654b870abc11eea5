module playground/sandbox-supervisor

go 1.22
