module github.com/hcnkit/hcn

go 1.26.0
