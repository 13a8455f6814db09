module github.com/hcnkit/hcn/cmd/hcn-cni

go 1.26.0

require github.com/hcnkit/hcn v0.0.0

require (
	github.com/containernetworking/cni v1.3.1
	github.com/vishvananda/netns v0.0.4 // indirect
	go.opentelemetry.io/otel v1.29.0 // indirect
	go.opentelemetry.io/otel/trace v1.29.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/hcnkit/hcn => ../..
