// A compiled gRPC load generator for scripts/bench_redemption.py.
//
// The benchmark's clients share the machine with the server and the
// database. A Python gRPC client spends about as much CPU per call as the
// server's whole gRPC layer, and that CPU is taken from the service being
// measured; in production the callers run elsewhere. This client sends
// requests that Python serialized beforehand, as raw bytes through gRPC's
// generic stub, so that the load costs the machine as little as it can.
//
//   loadgen TARGET METHOD THREADS SECONDS REQUESTS_FILE [--repeat]
//
// REQUESTS_FILE holds the requests, each as a 4-byte little-endian length
// followed by the serialized message; every request is sent once, in order,
// by whichever thread is free (with --repeat, the first request is sent
// over and over). The run ends after SECONDS or when the requests run out.
// Each thread has its own channel and connection, as separate callers do;
// TARGET may list several servers, comma-separated, which the threads take
// in turn.
// Output, one line per finished call: the gRPC status code and the latency
// in nanoseconds; then "consumed N" (requests sent) and "elapsed SECONDS".

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Outcome {
  int code;
  int64_t nanos;
};

// The requests in `path`; false if the file is missing or cut short.
bool ReadRequests(const char* path, std::vector<grpc::ByteBuffer>& requests) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t at = 0;
  while (at < all.size()) {
    if (all.size() - at < 4) return false;
    uint32_t size = static_cast<uint8_t>(all[at]) | static_cast<uint8_t>(all[at + 1]) << 8 |
                    static_cast<uint8_t>(all[at + 2]) << 16 |
                    static_cast<uint32_t>(static_cast<uint8_t>(all[at + 3])) << 24;
    at += 4;
    if (size > all.size() - at) return false;
    grpc::Slice slice(all.data() + at, size);
    requests.emplace_back(&slice, 1);
    at += size;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const bool repeat = argc == 7 && std::string(argv[6]) == "--repeat";
  if (argc != 6 && !repeat) {
    std::fprintf(stderr, "usage: %s TARGET METHOD THREADS SECONDS REQUESTS_FILE [--repeat]\n", argv[0]);
    return 2;
  }
  std::vector<std::string> targets;
  for (std::string rest = argv[1];;) {
    size_t comma = rest.find(',');
    targets.push_back(rest.substr(0, comma));
    if (comma == std::string::npos) break;
    rest = rest.substr(comma + 1);
  }
  const std::string method = argv[2];
  const int threads = std::stoi(argv[3]);
  const double seconds = std::stod(argv[4]);
  std::vector<grpc::ByteBuffer> requests;
  if (!ReadRequests(argv[5], requests)) {
    std::fprintf(stderr, "cannot read requests from %s (missing or cut short)\n", argv[5]);
    return 2;
  }
  if (requests.empty()) {
    std::fprintf(stderr, "no requests in %s\n", argv[5]);
    return 2;
  }

  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < threads; ++i) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    const std::string& target = targets[i % targets.size()];
    channels.push_back(grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args));
    if (!channels.back()->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5))) {
      std::fprintf(stderr, "cannot connect to %s\n", target.c_str());
      return 1;
    }
  }

  std::atomic<size_t> next{0};
  std::atomic<bool> go{false};
  Clock::time_point begun, deadline;
  std::vector<std::vector<Outcome>> outcomes(threads);
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&, i] {
      grpc::GenericStub stub(channels[i]);
      grpc::CompletionQueue queue;
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      while (Clock::now() < deadline) {
        size_t index = repeat ? 0 : next.fetch_add(1);
        if (index >= requests.size()) break;
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
        grpc::ByteBuffer response;
        grpc::Status status;
        auto started = Clock::now();
        auto call = stub.PrepareUnaryCall(&context, method, requests[index], &queue);
        call->StartCall();
        call->Finish(&response, &status, reinterpret_cast<void*>(1));
        void* tag;
        bool ok;
        queue.Next(&tag, &ok);
        outcomes[i].push_back(
            {status.error_code(),
             std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count()});
      }
      queue.Shutdown();
      void* tag;
      bool ok;
      while (queue.Next(&tag, &ok)) {
      }
    });
  }
  begun = Clock::now();
  deadline = begun + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  go.store(true, std::memory_order_release);
  for (auto& worker : workers) worker.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - begun).count();

  size_t consumed = 0;
  for (const auto& mine : outcomes) {
    for (const auto& outcome : mine) std::printf("%d %lld\n", outcome.code, static_cast<long long>(outcome.nanos));
    consumed += mine.size();
  }
  std::printf("consumed %zu\nelapsed %.6f\n", consumed, elapsed);
  return 0;
}
