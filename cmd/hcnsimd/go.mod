module github.com/hcnkit/hcn/cmd/hcnsimd

go 1.26.0

require github.com/hcnkit/hcn v0.0.0

require golang.org/x/sys v0.50.0 // indirect

replace github.com/hcnkit/hcn => ../..
