/// <reference types="vite/client" />
/// <reference path="../../shared/virtual-broker.d.ts" />
