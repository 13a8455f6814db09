module github.com/hcnkit/hcn

go 1.26.0

require golang.org/x/sys v0.50.0

tool golang.org/x/sys/windows/mkwinsyscall
