module playground/build-helper

go 1.22
