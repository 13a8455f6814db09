module github.com/hcnkit/hcn

go 1.26.0

require golang.org/x/sys v0.50.0

require (
	github.com/google/go-cmp v0.7.0
	pgregory.net/rapid v1.3.0
)

tool golang.org/x/sys/windows/mkwinsyscall
