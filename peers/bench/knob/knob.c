// knob measures the stand-in computenetwork.dll's latency knob from C, so
// that no Go runtime on the caller's side adds its own cost to a call:
// for each latency, the distribution of one thread's calls
// (HcnEnumerateNamespaces, timed on the performance counter), then the
// time per call when 1, 2, 4 and 8 threads call at once. Built and run
// under Wine by scripts/wine-bench-peers.sh.
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

typedef HRESULT (WINAPI *enum_fn)(PCWSTR, PWSTR *, PWSTR *);
typedef HRESULT (WINAPI *latency_fn)(LONGLONG);

static enum_fn enumerate;
static volatile LONG left;
static LONGLONG freq;

static int cmp(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static LONGLONG now(void) {
	LARGE_INTEGER t;
	QueryPerformanceCounter(&t);
	return t.QuadPart;
}

static double us(LONGLONG ticks) { return (double)ticks * 1e6 / (double)freq; }

static int call(void) {
	PWSTR r = NULL, rec = NULL;
	HRESULT hr = enumerate(L"", &r, &rec);
	if (r) CoTaskMemFree(r);
	if (rec) CoTaskMemFree(rec);
	return hr == S_OK;
}

static DWORD WINAPI worker(void *arg) {
	while (InterlockedDecrement(&left) >= 0) {
		if (!call()) return 1;
	}
	return 0;
}

int main(void) {
	HMODULE dll = LoadLibraryW(L"computenetwork.dll");
	if (!dll) {
		fprintf(stderr, "knob: computenetwork.dll not found\n");
		return 1;
	}
	enumerate = (enum_fn)GetProcAddress(dll, "HcnEnumerateNamespaces");
	latency_fn setLatency = (latency_fn)GetProcAddress(dll, "HcnSimSetLatency");
	if (!enumerate || !setLatency) {
		fprintf(stderr, "knob: not the stand-in computenetwork.dll\n");
		return 1;
	}
	LARGE_INTEGER f;
	QueryPerformanceFrequency(&f);
	freq = f.QuadPart;
	const LONGLONG lats[] = {0, 50000, 200000, 1000000};
	enum { N = 2000 };
	static double d[N];
	for (int li = 0; li < 4; li++) {
		setLatency(lats[li]);
		int n = lats[li] >= 1000000 ? N / 5 : N;
		for (int i = 0; i < n; i++) {
			LONGLONG a = now();
			if (!call()) {
				fprintf(stderr, "knob: HcnEnumerateNamespaces failed\n");
				return 1;
			}
			d[i] = us(now() - a);
		}
		qsort(d, n, sizeof d[0], cmp);
		double lat = (double)lats[li] / 1000;
		printf("knob: latency %5.0fus: one thread, per call p10 %.1fus p50 %.1fus p90 %.1fus p99 %.1fus",
			lat, d[n / 10], d[n / 2], d[n * 9 / 10], d[n * 99 / 100]);
		if (lat > 0) printf(" (median %+.1f%%)", (d[n / 2] / lat - 1) * 100);
		printf("\n");
		double one = 0;
		for (int threads = 1; threads <= 8; threads *= 2) {
			HANDLE th[8];
			left = n;
			LONGLONG a = now();
			for (int i = 0; i < threads; i++) th[i] = CreateThread(NULL, 0, worker, NULL, 0, NULL);
			WaitForMultipleObjects(threads, th, TRUE, INFINITE);
			double per = us(now() - a) / n;
			for (int i = 0; i < threads; i++) CloseHandle(th[i]);
			if (threads == 1) one = per;
			printf("knob: latency %5.0fus: %d threads at once, %.1fus per call (overlap %.2f)\n", lat, threads, per, one / per);
		}
	}
	setLatency(0);
	return 0;
}
