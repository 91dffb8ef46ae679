// Step-to-screen latency, kept for the benchmark script (window.liveLatency): for each live point drawn in the
// loss chart, the time from the engine finishing the step (finishedAtMs, server clock) and from the `steps`
// message arriving, to the frame that shows it. Same machine, same clock.

const cap = 200_000;
export const latency = {
  stepToScreen: [],
  stepToArrival: [],
  arrivalToScreen: [],
  record(received) {
    if (!received.length) return;
    const now = Date.now();
    for (const { point, arrivedAt } of received) {
      if (point.finishedAtMs) {
        this.stepToScreen.push(now - point.finishedAtMs);
        this.stepToArrival.push(arrivedAt - point.finishedAtMs);
      }
      this.arrivalToScreen.push(now - arrivedAt);
    }
    if (this.stepToScreen.length > cap) this.stepToScreen.splice(0, this.stepToScreen.length - cap);
    if (this.stepToArrival.length > cap) this.stepToArrival.splice(0, this.stepToArrival.length - cap);
    if (this.arrivalToScreen.length > cap) this.arrivalToScreen.splice(0, this.arrivalToScreen.length - cap);
  },
};
window.liveLatency = latency;
