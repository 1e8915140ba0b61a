import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  parseGoproxyList
} from "./chunk-IB7AEPMV.js";
import {
  GoModError,
  GoSumIndex,
  decideMetadata,
  decideVersion,
  findModuleFiles,
  isRetracted,
  parseGoMod,
  retractionRationales,
  shortMessage
} from "./chunk-YDUQFUDQ.js";
import {
  matchPatternList
} from "./chunk-DF625MRR.js";
import {
  parseVerifierKey
} from "./chunk-EFWQGVGX.js";
import {
  ModulePathError,
  checkFilePath,
  checkModulePath,
  checkModuleVersion,
  checkPathMajor,
  escapePath,
  escapeVersion,
  goQuote,
  splitPathVersion,
  unescapePath,
  unescapeVersion
} from "./chunk-TXKTMCD2.js";
import {
  canonicalVersion,
  compareGoStrings,
  isCanonicalVersion,
  isPseudoVersion,
  sortVersions
} from "./chunk-2IJSIXER.js";
import {
  UsageError
} from "./chunk-F4IRGORQ.js";
import {
  privatePatternsFrom
} from "./chunk-ZAPHFRJ6.js";
import {
  readGoEnv
} from "./chunk-CLBVXHE3.js";
import {
  loadPolicy
} from "./chunk-F3L3RDQW.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-UOOPJVRV.js";

// node_modules/pend/index.js
var require_pend = __commonJS({
  "node_modules/pend/index.js"(exports, module) {
    module.exports = Pend;
    function Pend() {
      this.pending = 0;
      this.max = Infinity;
      this.listeners = [];
      this.waiting = [];
      this.error = null;
    }
    Pend.prototype.go = function(fn) {
      if (this.pending < this.max) {
        pendGo(this, fn);
      } else {
        this.waiting.push(fn);
      }
    };
    Pend.prototype.wait = function(cb) {
      if (this.pending === 0) {
        cb(this.error);
      } else {
        this.listeners.push(cb);
      }
    };
    Pend.prototype.hold = function() {
      return pendHold(this);
    };
    function pendHold(self) {
      self.pending += 1;
      var called = false;
      return onCb;
      function onCb(err) {
        if (called) throw new Error("callback called twice");
        called = true;
        self.error = self.error || err;
        self.pending -= 1;
        if (self.waiting.length > 0 && self.pending < self.max) {
          pendGo(self, self.waiting.shift());
        } else if (self.pending === 0) {
          var listeners = self.listeners;
          self.listeners = [];
          listeners.forEach(cbListener);
        }
      }
      function cbListener(listener) {
        listener(self.error);
      }
    }
    function pendGo(self, fn) {
      fn(pendHold(self));
    }
  }
});

// node_modules/yauzl/fd-slicer.js
var require_fd_slicer = __commonJS({
  "node_modules/yauzl/fd-slicer.js"(exports) {
    var fs = __require("fs");
    var util = __require("util");
    var stream = __require("stream");
    var Readable3 = stream.Readable;
    var PassThrough = stream.PassThrough;
    var Pend = require_pend();
    var EventEmitter = __require("events").EventEmitter;
    exports.BufferSlicer = BufferSlicer;
    exports.FdSlicer = FdSlicer;
    util.inherits(FdSlicer, EventEmitter);
    function FdSlicer(fd) {
      EventEmitter.call(this);
      this.fd = fd;
      this.pend = new Pend();
      this.pend.max = 1;
      this.refCount = 0;
    }
    FdSlicer.prototype.read = function(buffer, offset, length, position, callback) {
      var self = this;
      self.pend.go(function(cb) {
        fs.read(self.fd, buffer, offset, length, position, function(err, bytesRead, buffer2) {
          cb();
          callback(err, bytesRead, buffer2);
        });
      });
    };
    FdSlicer.prototype.createReadStream = function(options2) {
      return new ReadStream(this, options2);
    };
    FdSlicer.prototype.ref = function() {
      this.refCount += 1;
    };
    FdSlicer.prototype.unref = function() {
      var self = this;
      self.refCount -= 1;
      if (self.refCount < 0) throw new Error("invalid unref");
      if (self.refCount > 0) return;
      fs.close(self.fd, onCloseDone);
      function onCloseDone(err) {
        if (err) {
          self.emit("error", err);
        } else {
          self.emit("close");
        }
      }
    };
    util.inherits(ReadStream, Readable3);
    function ReadStream(context, options2) {
      options2 = options2 || {};
      Readable3.call(this, options2);
      this.context = context;
      this.context.ref();
      this.start = options2.start || 0;
      this.endOffset = options2.end;
      this.pos = this.start;
    }
    ReadStream.prototype._read = function(n) {
      var self = this;
      var toRead = Math.min(self._readableState.highWaterMark, n);
      if (self.endOffset != null) {
        toRead = Math.min(toRead, self.endOffset - self.pos);
      }
      if (toRead <= 0) {
        self.push(null);
        this._cleanup();
        return;
      }
      self.context.pend.go(function(cb) {
        var buffer = Buffer.allocUnsafe(toRead);
        fs.read(self.context.fd, buffer, 0, toRead, self.pos, function(err, bytesRead) {
          if (err) {
            self.destroy(err);
          } else if (bytesRead === 0) {
            self.push(null);
            self._cleanup();
          } else {
            self.pos += bytesRead;
            self.push(buffer.slice(0, bytesRead));
          }
          cb();
        });
      });
    };
    ReadStream.prototype._destroy = function(err, cb) {
      this._cleanup();
      cb(err);
    };
    ReadStream.prototype._cleanup = function() {
      if (this.context != null) {
        this.context.unref();
        this.context = null;
      }
    };
    util.inherits(BufferSlicer, EventEmitter);
    function BufferSlicer(buffer) {
      EventEmitter.call(this);
      this.refCount = 0;
      this.buffer = buffer;
    }
    BufferSlicer.prototype.read = function(buffer, offset, length, position, callback) {
      if (!(0 <= offset && offset <= buffer.length)) throw new RangeError("offset outside buffer: 0 <= " + offset + " <= " + buffer.length);
      if (position < 0) throw new RangeError("position is negative: " + position);
      if (offset + length > buffer.length) {
        length = buffer.length - offset;
      }
      if (position + length > this.buffer.length) {
        length = this.buffer.length - position;
      }
      if (length <= 0) {
        setImmediate(function() {
          callback(null, 0);
        });
        return;
      }
      this.buffer.copy(buffer, offset, position, position + length);
      setImmediate(function() {
        callback(null, length);
      });
    };
    BufferSlicer.prototype.createReadStream = function(options2) {
      options2 = options2 || {};
      var readStream = new PassThrough(options2);
      readStream.start = options2.start || 0;
      readStream.endOffset = options2.end;
      readStream.pos = readStream.endOffset || this.buffer.length;
      var entireSlice = this.buffer.slice(readStream.start, readStream.pos);
      var maxChunkSize = 65536;
      var offset = 0;
      while (true) {
        var nextOffset = offset + maxChunkSize;
        if (nextOffset >= entireSlice.length) {
          if (offset < entireSlice.length) {
            readStream.write(entireSlice.slice(offset, entireSlice.length));
          }
          break;
        }
        readStream.write(entireSlice.slice(offset, nextOffset));
        offset = nextOffset;
      }
      readStream.end();
      return readStream;
    };
    BufferSlicer.prototype.ref = function() {
      this.refCount += 1;
    };
    BufferSlicer.prototype.unref = function() {
      this.refCount -= 1;
      if (this.refCount < 0) {
        throw new Error("invalid unref");
      }
    };
  }
});

// node_modules/yauzl/crc32.js
var require_crc32 = __commonJS({
  "node_modules/yauzl/crc32.js"(exports, module) {
    var CRC_TABLE = new Int32Array([
      0,
      1996959894,
      3993919788,
      2567524794,
      124634137,
      1886057615,
      3915621685,
      2657392035,
      249268274,
      2044508324,
      3772115230,
      2547177864,
      162941995,
      2125561021,
      3887607047,
      2428444049,
      498536548,
      1789927666,
      4089016648,
      2227061214,
      450548861,
      1843258603,
      4107580753,
      2211677639,
      325883990,
      1684777152,
      4251122042,
      2321926636,
      335633487,
      1661365465,
      4195302755,
      2366115317,
      997073096,
      1281953886,
      3579855332,
      2724688242,
      1006888145,
      1258607687,
      3524101629,
      2768942443,
      901097722,
      1119000684,
      3686517206,
      2898065728,
      853044451,
      1172266101,
      3705015759,
      2882616665,
      651767980,
      1373503546,
      3369554304,
      3218104598,
      565507253,
      1454621731,
      3485111705,
      3099436303,
      671266974,
      1594198024,
      3322730930,
      2970347812,
      795835527,
      1483230225,
      3244367275,
      3060149565,
      1994146192,
      31158534,
      2563907772,
      4023717930,
      1907459465,
      112637215,
      2680153253,
      3904427059,
      2013776290,
      251722036,
      2517215374,
      3775830040,
      2137656763,
      141376813,
      2439277719,
      3865271297,
      1802195444,
      476864866,
      2238001368,
      4066508878,
      1812370925,
      453092731,
      2181625025,
      4111451223,
      1706088902,
      314042704,
      2344532202,
      4240017532,
      1658658271,
      366619977,
      2362670323,
      4224994405,
      1303535960,
      984961486,
      2747007092,
      3569037538,
      1256170817,
      1037604311,
      2765210733,
      3554079995,
      1131014506,
      879679996,
      2909243462,
      3663771856,
      1141124467,
      855842277,
      2852801631,
      3708648649,
      1342533948,
      654459306,
      3188396048,
      3373015174,
      1466479909,
      544179635,
      3110523913,
      3462522015,
      1591671054,
      702138776,
      2966460450,
      3352799412,
      1504918807,
      783551873,
      3082640443,
      3233442989,
      3988292384,
      2596254646,
      62317068,
      1957810842,
      3939845945,
      2647816111,
      81470997,
      1943803523,
      3814918930,
      2489596804,
      225274430,
      2053790376,
      3826175755,
      2466906013,
      167816743,
      2097651377,
      4027552580,
      2265490386,
      503444072,
      1762050814,
      4150417245,
      2154129355,
      426522225,
      1852507879,
      4275313526,
      2312317920,
      282753626,
      1742555852,
      4189708143,
      2394877945,
      397917763,
      1622183637,
      3604390888,
      2714866558,
      953729732,
      1340076626,
      3518719985,
      2797360999,
      1068828381,
      1219638859,
      3624741850,
      2936675148,
      906185462,
      1090812512,
      3747672003,
      2825379669,
      829329135,
      1181335161,
      3412177804,
      3160834842,
      628085408,
      1382605366,
      3423369109,
      3138078467,
      570562233,
      1426400815,
      3317316542,
      2998733608,
      733239954,
      1555261956,
      3268935591,
      3050360625,
      752459403,
      1541320221,
      2607071920,
      3965973030,
      1969922972,
      40735498,
      2617837225,
      3943577151,
      1913087877,
      83908371,
      2512341634,
      3803740692,
      2075208622,
      213261112,
      2463272603,
      3855990285,
      2094854071,
      198958881,
      2262029012,
      4057260610,
      1759359992,
      534414190,
      2176718541,
      4139329115,
      1873836001,
      414664567,
      2282248934,
      4279200368,
      1711684554,
      285281116,
      2405801727,
      4167216745,
      1634467795,
      376229701,
      2685067896,
      3608007406,
      1308918612,
      956543938,
      2808555105,
      3495958263,
      1231636301,
      1047427035,
      2932959818,
      3654703836,
      1088359270,
      936918e3,
      2847714899,
      3736837829,
      1202900863,
      817233897,
      3183342108,
      3401237130,
      1404277552,
      615818150,
      3134207493,
      3453421203,
      1423857449,
      601450431,
      3009837614,
      3294710456,
      1567103746,
      711928724,
      3020668471,
      3272380065,
      1510334235,
      755167117
    ]);
    function crc322(buf) {
      let crc = -1;
      for (let x of buf) {
        crc = CRC_TABLE[(crc ^ x) & 255] ^ crc >>> 8;
      }
      return (crc ^ -1) >>> 0;
    }
    module.exports = crc322;
  }
});

// node_modules/yauzl/index.js
var require_yauzl = __commonJS({
  "node_modules/yauzl/index.js"(exports) {
    var fs = __require("fs");
    var zlib = __require("zlib");
    var fd_slicer = require_fd_slicer();
    var util = __require("util");
    var EventEmitter = __require("events").EventEmitter;
    var Transform = __require("stream").Transform;
    var PassThrough = __require("stream").PassThrough;
    var Writable = __require("stream").Writable;
    var crc322 = typeof zlib.crc32 === "function" ? zlib.crc32 : require_crc32();
    exports.open = open5;
    exports.fromFd = fromFd;
    exports.fromBuffer = fromBuffer;
    exports.fromRandomAccessReader = fromRandomAccessReader;
    exports.openPromise = openPromise;
    exports.fromFdPromise = fromFdPromise;
    exports.fromBufferPromise = fromBufferPromise;
    exports.fromRandomAccessReaderPromise = fromRandomAccessReaderPromise;
    exports.dosDateTimeToDate = dosDateTimeToDate;
    exports.getFileNameLowLevel = getFileNameLowLevel;
    exports.validateFileName = validateFileName;
    exports.parseExtraFields = parseExtraFields;
    exports.ZipFile = ZipFile;
    exports.Entry = Entry;
    exports.LocalFileHeader = LocalFileHeader;
    exports.RandomAccessReader = RandomAccessReader;
    function openPromise(path, options2) {
      return new Promise((resolve3, reject) => {
        open5(path, { ...options2, lazyEntries: true }, function(err, zipfile) {
          if (err) return reject(err);
          resolve3(zipfile);
        });
      });
    }
    function fromFdPromise(fd, options2) {
      return new Promise((resolve3, reject) => {
        fromFd(fd, { ...options2, lazyEntries: true }, function(err, zipfile) {
          if (err) return reject(err);
          resolve3(zipfile);
        });
      });
    }
    function fromBufferPromise(buffer, options2) {
      return new Promise((resolve3, reject) => {
        fromBuffer(buffer, { ...options2, lazyEntries: true }, function(err, zipfile) {
          if (err) return reject(err);
          resolve3(zipfile);
        });
      });
    }
    function fromRandomAccessReaderPromise(reader, totalSize, options2) {
      return new Promise((resolve3, reject) => {
        fromRandomAccessReader(reader, totalSize, { ...options2, lazyEntries: true }, function(err, zipfile) {
          if (err) return reject(err);
          resolve3(zipfile);
        });
      });
    }
    function open5(path, options2, callback) {
      if (typeof options2 === "function") {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) options2 = {};
      if (options2.autoClose == null) options2.autoClose = true;
      if (options2.lazyEntries == null) options2.lazyEntries = false;
      if (options2.decodeStrings == null) options2.decodeStrings = true;
      if (options2.validateEntrySizes == null) options2.validateEntrySizes = true;
      if (options2.strictFileNames == null) options2.strictFileNames = false;
      if (callback == null) callback = defaultCallback;
      fs.open(path, "r", function(err, fd) {
        if (err) return callback(err);
        fromFd(fd, options2, function(err2, zipfile) {
          if (err2) fs.close(fd, defaultCallback);
          callback(err2, zipfile);
        });
      });
    }
    function fromFd(fd, options2, callback) {
      if (typeof options2 === "function") {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) options2 = {};
      if (options2.autoClose == null) options2.autoClose = false;
      if (options2.lazyEntries == null) options2.lazyEntries = false;
      if (options2.decodeStrings == null) options2.decodeStrings = true;
      if (options2.validateEntrySizes == null) options2.validateEntrySizes = true;
      if (options2.strictFileNames == null) options2.strictFileNames = false;
      if (callback == null) callback = defaultCallback;
      fs.fstat(fd, function(err, stats) {
        if (err) return callback(err);
        var reader = new fd_slicer.FdSlicer(fd);
        fromRandomAccessReader(reader, stats.size, options2, callback);
      });
    }
    function fromBuffer(buffer, options2, callback) {
      if (typeof options2 === "function") {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) options2 = {};
      options2.autoClose = false;
      if (options2.lazyEntries == null) options2.lazyEntries = false;
      if (options2.decodeStrings == null) options2.decodeStrings = true;
      if (options2.validateEntrySizes == null) options2.validateEntrySizes = true;
      if (options2.strictFileNames == null) options2.strictFileNames = false;
      var reader = new fd_slicer.BufferSlicer(buffer);
      fromRandomAccessReader(reader, buffer.length, options2, callback);
    }
    function fromRandomAccessReader(reader, totalSize, options2, callback) {
      if (typeof options2 === "function") {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) options2 = {};
      if (options2.autoClose == null) options2.autoClose = true;
      if (options2.lazyEntries == null) options2.lazyEntries = false;
      if (options2.decodeStrings == null) options2.decodeStrings = true;
      var decodeStrings = !!options2.decodeStrings;
      if (options2.validateEntrySizes == null) options2.validateEntrySizes = true;
      if (options2.strictFileNames == null) options2.strictFileNames = false;
      if (callback == null) callback = defaultCallback;
      if (typeof totalSize !== "number") throw new Error("expected totalSize parameter to be a number");
      if (totalSize > Number.MAX_SAFE_INTEGER) {
        throw new Error("zip file too large. only file sizes up to 2^52 are supported due to JavaScript's Number type being an IEEE 754 double.");
      }
      reader.ref();
      var eocdrWithoutCommentSize = 22;
      var zip64EocdlSize = 20;
      var maxCommentSize = 65535;
      var bufferSize = Math.min(zip64EocdlSize + eocdrWithoutCommentSize + maxCommentSize, totalSize);
      var buffer = newBuffer(bufferSize);
      var bufferReadStart = totalSize - buffer.length;
      readAndAssertNoEof(reader, buffer, 0, bufferSize, bufferReadStart, function(err) {
        if (err) return callback(err);
        for (var i = bufferSize - eocdrWithoutCommentSize; i >= 0; i -= 1) {
          if (buffer.readUInt32LE(i) !== 101010256) continue;
          var eocdrBuffer = buffer.subarray(i);
          var diskNumber = eocdrBuffer.readUInt16LE(4);
          var entryCount = eocdrBuffer.readUInt16LE(10);
          var centralDirectoryOffset = eocdrBuffer.readUInt32LE(16);
          var commentLength = eocdrBuffer.readUInt16LE(20);
          var expectedCommentLength = eocdrBuffer.length - eocdrWithoutCommentSize;
          if (commentLength !== expectedCommentLength) {
            return callback(new Error("Invalid comment length. Expected: " + expectedCommentLength + ". Found: " + commentLength + ". Are there extra bytes at the end of the file? Or is the end of central dir signature `PK\u263A\u263B` in the comment?"));
          }
          var comment = decodeStrings ? decodeBuffer(eocdrBuffer.subarray(22), false) : eocdrBuffer.subarray(22);
          if (i - zip64EocdlSize >= 0 && buffer.readUInt32LE(i - zip64EocdlSize) === 117853008) {
            var zip64EocdlBuffer = buffer.subarray(i - zip64EocdlSize, i - zip64EocdlSize + zip64EocdlSize);
            var zip64EocdrOffset = readUInt64LE(zip64EocdlBuffer, 8);
            var zip64EocdrBuffer = newBuffer(56);
            return readAndAssertNoEof(reader, zip64EocdrBuffer, 0, zip64EocdrBuffer.length, zip64EocdrOffset, function(err2) {
              if (err2) return callback(err2);
              if (zip64EocdrBuffer.readUInt32LE(0) !== 101075792) {
                return callback(new Error("invalid zip64 end of central directory record signature"));
              }
              diskNumber = zip64EocdrBuffer.readUInt32LE(16);
              if (diskNumber !== 0) {
                return callback(new Error("multi-disk zip files are not supported: found disk number: " + diskNumber));
              }
              entryCount = readUInt64LE(zip64EocdrBuffer, 32);
              centralDirectoryOffset = readUInt64LE(zip64EocdrBuffer, 48);
              return callback(null, new ZipFile(reader, centralDirectoryOffset, totalSize, entryCount, comment, options2.autoClose, options2.lazyEntries, decodeStrings, options2.validateEntrySizes, options2.strictFileNames));
            });
          }
          if (diskNumber !== 0) {
            return callback(new Error("multi-disk zip files are not supported: found disk number: " + diskNumber));
          }
          return callback(null, new ZipFile(reader, centralDirectoryOffset, totalSize, entryCount, comment, options2.autoClose, options2.lazyEntries, decodeStrings, options2.validateEntrySizes, options2.strictFileNames));
        }
        callback(new Error("End of central directory record signature not found. Either not a zip file, or file is truncated."));
      });
    }
    util.inherits(ZipFile, EventEmitter);
    function ZipFile(reader, centralDirectoryOffset, fileSize, entryCount, comment, autoClose, lazyEntries, decodeStrings, validateEntrySizes, strictFileNames) {
      var self = this;
      EventEmitter.call(self);
      self.reader = reader;
      self.reader.on("error", function(err) {
        emitError(self, err);
      });
      self.reader.once("close", function() {
        self.emit("close");
      });
      self.readEntryCursor = centralDirectoryOffset;
      self.fileSize = fileSize;
      self.entryCount = entryCount;
      self.comment = comment;
      self.entriesRead = 0;
      self.autoClose = !!autoClose;
      self.lazyEntries = !!lazyEntries;
      self.decodeStrings = !!decodeStrings;
      self.validateEntrySizes = !!validateEntrySizes;
      self.strictFileNames = !!strictFileNames;
      self.isOpen = true;
      self.emittedError = false;
      self.hasEachEntryBeenCalled = false;
      if (!self.lazyEntries) self._readEntry();
    }
    ZipFile.prototype.close = function() {
      if (!this.isOpen) return;
      this.isOpen = false;
      this.reader.unref();
    };
    function emitErrorAndAutoClose(self, err) {
      if (self.autoClose) self.close();
      emitError(self, err);
    }
    function emitError(self, err) {
      if (self.emittedError) return;
      self.emittedError = true;
      self.emit("error", err);
    }
    ZipFile.prototype.readEntry = function() {
      if (!this.lazyEntries) throw new Error("readEntry() called without lazyEntries:true");
      this._readEntry();
    };
    ZipFile.prototype._readEntry = function() {
      var self = this;
      if (self.entryCount === self.entriesRead) {
        setImmediate(function() {
          if (self.autoClose) self.close();
          if (self.emittedError) return;
          self.emit("end");
        });
        return;
      }
      if (self.emittedError) return;
      var buffer = newBuffer(46);
      readAndAssertNoEof(self.reader, buffer, 0, buffer.length, self.readEntryCursor, function(err) {
        if (err) return emitErrorAndAutoClose(self, err);
        if (self.emittedError) return;
        var entry = new Entry();
        var signature = buffer.readUInt32LE(0);
        if (signature !== 33639248) return emitErrorAndAutoClose(self, new Error("invalid central directory file header signature: 0x" + signature.toString(16)));
        entry.versionMadeBy = buffer.readUInt16LE(4);
        entry.versionNeededToExtract = buffer.readUInt16LE(6);
        entry.generalPurposeBitFlag = buffer.readUInt16LE(8);
        entry.compressionMethod = buffer.readUInt16LE(10);
        entry.lastModFileTime = buffer.readUInt16LE(12);
        entry.lastModFileDate = buffer.readUInt16LE(14);
        entry.crc32 = buffer.readUInt32LE(16);
        entry.compressedSize = buffer.readUInt32LE(20);
        entry.uncompressedSize = buffer.readUInt32LE(24);
        entry.fileNameLength = buffer.readUInt16LE(28);
        entry.extraFieldLength = buffer.readUInt16LE(30);
        entry.fileCommentLength = buffer.readUInt16LE(32);
        entry.internalFileAttributes = buffer.readUInt16LE(36);
        entry.externalFileAttributes = buffer.readUInt32LE(38);
        entry.relativeOffsetOfLocalHeader = buffer.readUInt32LE(42);
        if (entry.generalPurposeBitFlag & 64) return emitErrorAndAutoClose(self, new Error("strong encryption is not supported"));
        self.readEntryCursor += 46;
        buffer = newBuffer(entry.fileNameLength + entry.extraFieldLength + entry.fileCommentLength);
        readAndAssertNoEof(self.reader, buffer, 0, buffer.length, self.readEntryCursor, function(err2) {
          if (err2) return emitErrorAndAutoClose(self, err2);
          if (self.emittedError) return;
          entry.fileNameRaw = buffer.subarray(0, entry.fileNameLength);
          var fileCommentStart = entry.fileNameLength + entry.extraFieldLength;
          entry.extraFieldRaw = buffer.subarray(entry.fileNameLength, fileCommentStart);
          entry.fileCommentRaw = buffer.subarray(fileCommentStart, fileCommentStart + entry.fileCommentLength);
          try {
            entry.extraFields = parseExtraFields(entry.extraFieldRaw);
          } catch (err3) {
            return emitErrorAndAutoClose(self, err3);
          }
          if (self.decodeStrings) {
            var isUtf8 = (entry.generalPurposeBitFlag & 2048) !== 0;
            entry.fileComment = decodeBuffer(entry.fileCommentRaw, isUtf8);
            entry.fileName = getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, self.strictFileNames);
            var errorMessage = validateFileName(entry.fileName);
            if (errorMessage != null) return emitErrorAndAutoClose(self, new Error(errorMessage));
          } else {
            entry.fileComment = entry.fileCommentRaw;
            entry.fileName = entry.fileNameRaw;
          }
          entry.comment = entry.fileComment;
          self.readEntryCursor += buffer.length;
          self.entriesRead += 1;
          for (var i = 0; i < entry.extraFields.length; i++) {
            var extraField = entry.extraFields[i];
            if (extraField.id !== 1) continue;
            var zip64EiefBuffer = extraField.data;
            var index = 0;
            if (entry.uncompressedSize === 4294967295) {
              if (index + 8 > zip64EiefBuffer.length) {
                return emitErrorAndAutoClose(self, new Error("zip64 extended information extra field does not include uncompressed size"));
              }
              entry.uncompressedSize = readUInt64LE(zip64EiefBuffer, index);
              index += 8;
            }
            if (entry.compressedSize === 4294967295) {
              if (index + 8 > zip64EiefBuffer.length) {
                return emitErrorAndAutoClose(self, new Error("zip64 extended information extra field does not include compressed size"));
              }
              entry.compressedSize = readUInt64LE(zip64EiefBuffer, index);
              index += 8;
            }
            if (entry.relativeOffsetOfLocalHeader === 4294967295) {
              if (index + 8 > zip64EiefBuffer.length) {
                return emitErrorAndAutoClose(self, new Error("zip64 extended information extra field does not include relative header offset"));
              }
              entry.relativeOffsetOfLocalHeader = readUInt64LE(zip64EiefBuffer, index);
              index += 8;
            }
            break;
          }
          if (self.validateEntrySizes && entry.compressionMethod === 0) {
            var expectedCompressedSize = entry.uncompressedSize;
            if (entry.isEncrypted()) {
              expectedCompressedSize += 12;
            }
            if (entry.compressedSize !== expectedCompressedSize) {
              var msg = "compressed/uncompressed size mismatch for stored file: " + entry.compressedSize + " != " + entry.uncompressedSize;
              return emitErrorAndAutoClose(self, new Error(msg));
            }
          }
          self.emit("entry", entry);
          if (!self.lazyEntries) self._readEntry();
        });
      });
    };
    ZipFile.prototype.eachEntry = function() {
      const self = this;
      if (!self.lazyEntries) throw new Error("eachEntry() requires lazyEntries: true");
      if (self.hasEachEntryBeenCalled) throw new Error("eachEntry() must only be called once per ZipFile");
      self.hasEachEntryBeenCalled = true;
      let pendingResolveReject = null;
      self.on("entry", onEntry);
      self.on("end", onEnd);
      self.on("error", onError);
      function cleanup() {
        self.removeListener("entry", onEntry);
        self.removeListener("end", onEnd);
        self.removeListener("error", onError);
        if (self.autoClose) self.close();
      }
      function onEntry(entry) {
        let { resolve: resolve3 } = pendingResolveReject;
        pendingResolveReject = null;
        resolve3({ value: entry });
      }
      function onEnd() {
        let { resolve: resolve3 } = pendingResolveReject;
        pendingResolveReject = null;
        cleanup();
        resolve3({ done: true });
      }
      function onError(err) {
        let { reject } = pendingResolveReject;
        pendingResolveReject = null;
        cleanup();
        reject(err);
      }
      return {
        [Symbol.asyncIterator]() {
          return this;
        },
        next() {
          const promise = new Promise((resolve3, reject) => {
            if (pendingResolveReject != null) throw new Error("next() called before previous Promise was resolved.");
            pendingResolveReject = { resolve: resolve3, reject };
          });
          self.readEntry();
          return promise;
        },
        return(value) {
          cleanup();
          return Promise.resolve({ done: true, value });
        },
        throw(value) {
          cleanup();
          return Promise.reject(value);
        }
      };
    };
    ZipFile.prototype.openReadStream = function(entry, options2, callback) {
      var self = this;
      var relativeStart = 0;
      var relativeEnd = entry.compressedSize;
      if (callback == null) {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) {
        options2 = {};
      } else {
        if (options2.decodeFileData === false) {
          if (options2.decrypt != null) {
            throw new Error("cannot use options.decrypt when options.decodeFileData === false");
          }
          if (options2.decompress != null) {
            throw new Error("cannot use options.decompress when options.decodeFileData === false");
          }
        } else {
          if (options2.decrypt != null) {
            if (!entry.isEncrypted()) {
              throw new Error("options.decrypt can only be specified for encrypted entries. See also option decodeFileData.");
            }
            if (options2.decrypt !== false) throw new Error("invalid options.decrypt value: " + options2.decrypt);
            if (entry.isCompressed()) {
              if (options2.decompress !== false) throw new Error("entry is encrypted and compressed, and options.decompress !== false. See also option decodeFileData.");
            }
          }
          if (options2.decompress != null) {
            if (!entry.isCompressed()) {
              throw new Error("options.decompress can only be specified for compressed entries. See also option decodeFileData.");
            }
            if (!(options2.decompress === false || options2.decompress === true)) {
              throw new Error("invalid options.decompress value: " + options2.decompress);
            }
            decompress = options2.decompress;
          }
        }
        if (options2.start != null) {
          relativeStart = options2.start;
          if (relativeStart < 0) throw new Error("options.start < 0");
          if (relativeStart > entry.compressedSize) throw new Error("options.start > entry.compressedSize");
        }
        if (options2.end != null) {
          relativeEnd = options2.end;
          if (relativeEnd < 0) throw new Error("options.end < 0");
          if (relativeEnd > entry.compressedSize) throw new Error("options.end > entry.compressedSize");
          if (relativeEnd < relativeStart) throw new Error("options.end < options.start");
        }
      }
      var rawMode = options2.decodeFileData === false || // Explicitly requested raw.
      (entry.compressionMethod === 0 || // Naturally without compression.
      entry.compressionMethod === 8 && options2.decompress === false) && (!entry.isEncrypted() || // Naturally without encryption.
      options2.decrypt === false);
      if (options2.start != null || options2.end != null) {
        if (!rawMode) throw new Error("start/end range require options.decodeFileData === false for non-trivial encoded entries.");
      }
      if (!self.isOpen) return callback(new Error("closed"));
      if (entry.isEncrypted() && !rawMode) {
        if (options2.decrypt !== false) return callback(new Error("entry is encrypted, and options.decodeFileData !== false"));
      }
      var decompress;
      if (rawMode) {
        decompress = false;
      } else if (entry.compressionMethod === 8) {
        decompress = options2.decodeFileData !== true;
      } else {
        return callback(new Error("unsupported compression method: " + entry.compressionMethod));
      }
      self.readLocalFileHeader(entry, { minimal: true }, function(err, localFileHeader) {
        if (err) return callback(err);
        self.openReadStreamLowLevel(
          localFileHeader.fileDataStart,
          entry.compressedSize,
          relativeStart,
          relativeEnd,
          decompress,
          entry.uncompressedSize,
          callback
        );
      });
    };
    ZipFile.prototype.openReadStreamLowLevel = function(fileDataStart, compressedSize, relativeStart, relativeEnd, decompress, uncompressedSize, callback) {
      var self = this;
      var fileDataEnd = fileDataStart + compressedSize;
      var readStream = self.reader.createReadStream({
        start: fileDataStart + relativeStart,
        end: fileDataStart + relativeEnd
      });
      var endpointStream = readStream;
      if (decompress) {
        var destroyed = false;
        var inflateFilter = zlib.createInflateRaw();
        readStream.on("error", function(err) {
          setImmediate(function() {
            if (!destroyed) inflateFilter.emit("error", err);
          });
        });
        readStream.pipe(inflateFilter);
        if (self.validateEntrySizes) {
          endpointStream = new AssertByteCountStream(uncompressedSize);
          inflateFilter.on("error", function(err) {
            setImmediate(function() {
              if (!destroyed) endpointStream.emit("error", err);
            });
          });
          inflateFilter.pipe(endpointStream);
        } else {
          endpointStream = inflateFilter;
        }
        installDestroyFn(endpointStream, function() {
          destroyed = true;
          if (inflateFilter !== endpointStream) inflateFilter.unpipe(endpointStream);
          readStream.unpipe(inflateFilter);
          readStream.destroy();
        });
      }
      callback(null, endpointStream);
    };
    ZipFile.prototype.readLocalFileHeader = function(entry, options2, callback) {
      var self = this;
      if (callback == null) {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) options2 = {};
      self.reader.ref();
      var buffer = newBuffer(30);
      readAndAssertNoEof(self.reader, buffer, 0, buffer.length, entry.relativeOffsetOfLocalHeader, function(err) {
        try {
          if (err) return callback(err);
          var signature = buffer.readUInt32LE(0);
          if (signature !== 67324752) {
            return callback(new Error("invalid local file header signature: 0x" + signature.toString(16)));
          }
          var fileNameLength = buffer.readUInt16LE(26);
          var extraFieldLength = buffer.readUInt16LE(28);
          var fileDataStart = entry.relativeOffsetOfLocalHeader + 30 + fileNameLength + extraFieldLength;
          if (fileDataStart + entry.compressedSize > self.fileSize) {
            return callback(new Error("file data overflows file bounds: " + fileDataStart + " + " + entry.compressedSize + " > " + self.fileSize));
          }
          if (options2.minimal) {
            return callback(null, { fileDataStart });
          }
          var localFileHeader = new LocalFileHeader();
          localFileHeader.fileDataStart = fileDataStart;
          localFileHeader.versionNeededToExtract = buffer.readUInt16LE(4);
          localFileHeader.generalPurposeBitFlag = buffer.readUInt16LE(6);
          localFileHeader.compressionMethod = buffer.readUInt16LE(8);
          localFileHeader.lastModFileTime = buffer.readUInt16LE(10);
          localFileHeader.lastModFileDate = buffer.readUInt16LE(12);
          localFileHeader.crc32 = buffer.readUInt32LE(14);
          localFileHeader.compressedSize = buffer.readUInt32LE(18);
          localFileHeader.uncompressedSize = buffer.readUInt32LE(22);
          localFileHeader.fileNameLength = fileNameLength;
          localFileHeader.extraFieldLength = extraFieldLength;
          buffer = newBuffer(fileNameLength + extraFieldLength);
          self.reader.ref();
          readAndAssertNoEof(self.reader, buffer, 0, buffer.length, entry.relativeOffsetOfLocalHeader + 30, function(err2) {
            try {
              if (err2) return callback(err2);
              localFileHeader.fileName = buffer.subarray(0, fileNameLength);
              localFileHeader.extraField = buffer.subarray(fileNameLength);
              return callback(null, localFileHeader);
            } finally {
              self.reader.unref();
            }
          });
        } finally {
          self.reader.unref();
        }
      });
    };
    ZipFile.prototype.openReadStreamPromise = function(entry, options2) {
      return new Promise((resolve3, reject) => {
        this.openReadStream(entry, options2, function(err, readStream) {
          if (err) return reject(err);
          resolve3(readStream);
        });
      });
    };
    ZipFile.prototype.openReadStreamLowLevelPromise = function(fileDataStart, compressedSize, relativeStart, relativeEnd, decompress, uncompressedSize) {
      return new Promise((resolve3, reject) => {
        this.openReadStream(fileDataStart, compressedSize, relativeStart, relativeEnd, decompress, uncompressedSize, function(err, readStream) {
          if (err) return reject(err);
          resolve3(readStream);
        });
      });
    };
    ZipFile.prototype.readLocalFileHeaderPromise = function(entry, options2) {
      return new Promise((resolve3, reject) => {
        this.readLocalFileHeader(entry, options2, function(err, localFileHeader) {
          if (err) return reject(err);
          resolve3(localFileHeader);
        });
      });
    };
    function Entry() {
    }
    Entry.prototype.getLastModDate = function(options2) {
      if (options2 == null) options2 = {};
      if (!options2.forceDosFormat) {
        for (var i = 0; i < this.extraFields.length; i++) {
          var extraField = this.extraFields[i];
          if (extraField.id === 21589) {
            var data = extraField.data;
            if (data.length < 5) continue;
            var flags = data[0];
            var HAS_MTIME = 1;
            if (!(flags & HAS_MTIME)) continue;
            var posixTimestamp = data.readInt32LE(1);
            return new Date(posixTimestamp * 1e3);
          } else if (extraField.id === 10) {
            var data = extraField.data;
            if (data.length !== 32) continue;
            if (data.readUInt16LE(4) !== 1) continue;
            if (data.readUInt16LE(6) !== 24) continue;
            var hundredNanoSecondsSince1601 = data.readUInt32LE(8) + 4294967296 * data.readInt32LE(12);
            var millisecondsSince1970 = hundredNanoSecondsSince1601 / 1e4 - 116444736e5;
            return new Date(millisecondsSince1970);
          }
        }
      }
      return dosDateTimeToDate(this.lastModFileDate, this.lastModFileTime, options2.timezone);
    };
    Entry.prototype.canDecodeFileData = function() {
      return !this.isEncrypted() && (this.compressionMethod === 0 || this.compressionMethod === 8);
    };
    Entry.prototype.isEncrypted = function() {
      return (this.generalPurposeBitFlag & 1) !== 0;
    };
    Entry.prototype.isCompressed = function() {
      return this.compressionMethod === 8;
    };
    function LocalFileHeader() {
    }
    function dosDateTimeToDate(date, time, timezone) {
      var day = date & 31;
      var month = (date >> 5 & 15) - 1;
      var year = (date >> 9 & 127) + 1980;
      var millisecond = 0;
      var second = (time & 31) * 2;
      var minute = time >> 5 & 63;
      var hour = time >> 11 & 31;
      if (timezone == null || timezone === "local") {
        return new Date(year, month, day, hour, minute, second, millisecond);
      } else if (timezone === "UTC") {
        return new Date(Date.UTC(year, month, day, hour, minute, second, millisecond));
      } else {
        throw new Error("unrecognized options.timezone: " + options.timezone);
      }
    }
    function getFileNameLowLevel(generalPurposeBitFlag, fileNameBuffer, extraFields, strictFileNames) {
      var fileName = null;
      for (var i = 0; i < extraFields.length; i++) {
        var extraField = extraFields[i];
        if (extraField.id === 28789) {
          if (extraField.data.length < 6) {
            continue;
          }
          if (extraField.data.readUInt8(0) !== 1) {
            continue;
          }
          var oldNameCrc32 = extraField.data.readUInt32LE(1);
          if (crc322(fileNameBuffer) !== oldNameCrc32) {
            continue;
          }
          fileName = decodeBuffer(extraField.data.subarray(5), true);
          break;
        }
      }
      if (fileName == null) {
        var isUtf8 = (generalPurposeBitFlag & 2048) !== 0;
        fileName = decodeBuffer(fileNameBuffer, isUtf8);
      }
      if (!strictFileNames) {
        fileName = fileName.replace(/\\/g, "/");
      }
      return fileName;
    }
    function validateFileName(fileName) {
      if (fileName.indexOf("\\") !== -1) {
        return "invalid characters in fileName: " + fileName;
      }
      if (/^[a-zA-Z]:/.test(fileName) || /^\//.test(fileName)) {
        return "absolute path: " + fileName;
      }
      if (fileName.split("/").indexOf("..") !== -1) {
        return "invalid relative path: " + fileName;
      }
      return null;
    }
    function parseExtraFields(extraFieldBuffer) {
      var extraFields = [];
      var i = 0;
      while (i < extraFieldBuffer.length - 3) {
        var headerId = extraFieldBuffer.readUInt16LE(i + 0);
        var dataSize = extraFieldBuffer.readUInt16LE(i + 2);
        var dataStart = i + 4;
        var dataEnd = dataStart + dataSize;
        if (dataEnd > extraFieldBuffer.length) throw new Error("extra field length exceeds extra field buffer size");
        var dataBuffer = extraFieldBuffer.subarray(dataStart, dataEnd);
        extraFields.push({
          id: headerId,
          data: dataBuffer
        });
        i = dataEnd;
      }
      return extraFields;
    }
    function readAndAssertNoEof(reader, buffer, offset, length, position, callback) {
      if (length === 0) {
        return setImmediate(function() {
          callback(null, newBuffer(0));
        });
      }
      reader.read(buffer, offset, length, position, function(err, bytesRead) {
        if (err) return callback(err);
        if (bytesRead < length) {
          return callback(new Error("unexpected EOF"));
        }
        callback();
      });
    }
    util.inherits(AssertByteCountStream, Transform);
    function AssertByteCountStream(byteCount) {
      Transform.call(this);
      this.actualByteCount = 0;
      this.expectedByteCount = byteCount;
    }
    AssertByteCountStream.prototype._transform = function(chunk, encoding, cb) {
      this.actualByteCount += chunk.length;
      if (this.actualByteCount > this.expectedByteCount) {
        var msg = "too many bytes in the stream. expected " + this.expectedByteCount + ". got at least " + this.actualByteCount;
        return cb(new Error(msg));
      }
      cb(null, chunk);
    };
    AssertByteCountStream.prototype._flush = function(cb) {
      if (this.actualByteCount < this.expectedByteCount) {
        var msg = "not enough bytes in the stream. expected " + this.expectedByteCount + ". got only " + this.actualByteCount;
        return cb(new Error(msg));
      }
      cb();
    };
    util.inherits(RandomAccessReader, EventEmitter);
    function RandomAccessReader() {
      EventEmitter.call(this);
      this.refCount = 0;
    }
    RandomAccessReader.prototype.ref = function() {
      this.refCount += 1;
    };
    RandomAccessReader.prototype.unref = function() {
      var self = this;
      self.refCount -= 1;
      if (self.refCount > 0) return;
      if (self.refCount < 0) throw new Error("invalid unref");
      self.close(onCloseDone);
      function onCloseDone(err) {
        if (err) return self.emit("error", err);
        self.emit("close");
      }
    };
    RandomAccessReader.prototype.createReadStream = function(options2) {
      if (options2 == null) options2 = {};
      var start = options2.start;
      var end = options2.end;
      if (start === end) {
        var emptyStream = new PassThrough();
        setImmediate(function() {
          emptyStream.end();
        });
        return emptyStream;
      }
      var stream = this._readStreamForRange(start, end);
      var destroyed = false;
      var refUnrefFilter = new RefUnrefFilter(this);
      stream.on("error", function(err) {
        setImmediate(function() {
          if (!destroyed) refUnrefFilter.emit("error", err);
        });
      });
      installDestroyFn(refUnrefFilter, function() {
        stream.unpipe(refUnrefFilter);
        refUnrefFilter.unref();
        stream.destroy();
      });
      var byteCounter = new AssertByteCountStream(end - start);
      refUnrefFilter.on("error", function(err) {
        setImmediate(function() {
          if (!destroyed) byteCounter.emit("error", err);
        });
      });
      installDestroyFn(byteCounter, function() {
        destroyed = true;
        refUnrefFilter.unpipe(byteCounter);
        refUnrefFilter.destroy();
      });
      return stream.pipe(refUnrefFilter).pipe(byteCounter);
    };
    RandomAccessReader.prototype._readStreamForRange = function(start, end) {
      throw new Error("not implemented");
    };
    RandomAccessReader.prototype.read = function(buffer, offset, length, position, callback) {
      var readStream = this.createReadStream({ start: position, end: position + length });
      var writeStream = new Writable();
      var written = 0;
      writeStream._write = function(chunk, encoding, cb) {
        chunk.copy(buffer, offset + written, 0, chunk.length);
        written += chunk.length;
        cb();
      };
      writeStream.on("finish", callback);
      readStream.on("error", function(error) {
        callback(error);
      });
      readStream.pipe(writeStream);
    };
    RandomAccessReader.prototype.close = function(callback) {
      setImmediate(callback);
    };
    util.inherits(RefUnrefFilter, PassThrough);
    function RefUnrefFilter(context) {
      PassThrough.call(this);
      this.context = context;
      this.context.ref();
      this.unreffedYet = false;
    }
    RefUnrefFilter.prototype._flush = function(cb) {
      this.unref();
      cb();
    };
    RefUnrefFilter.prototype.unref = function(cb) {
      if (this.unreffedYet) return;
      this.unreffedYet = true;
      this.context.unref();
    };
    var cp437 = "\0\u263A\u263B\u2665\u2666\u2663\u2660\u2022\u25D8\u25CB\u25D9\u2642\u2640\u266A\u266B\u263C\u25BA\u25C4\u2195\u203C\xB6\xA7\u25AC\u21A8\u2191\u2193\u2192\u2190\u221F\u2194\u25B2\u25BC !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\u2302\xC7\xFC\xE9\xE2\xE4\xE0\xE5\xE7\xEA\xEB\xE8\xEF\xEE\xEC\xC4\xC5\xC9\xE6\xC6\xF4\xF6\xF2\xFB\xF9\xFF\xD6\xDC\xA2\xA3\xA5\u20A7\u0192\xE1\xED\xF3\xFA\xF1\xD1\xAA\xBA\xBF\u2310\xAC\xBD\xBC\xA1\xAB\xBB\u2591\u2592\u2593\u2502\u2524\u2561\u2562\u2556\u2555\u2563\u2551\u2557\u255D\u255C\u255B\u2510\u2514\u2534\u252C\u251C\u2500\u253C\u255E\u255F\u255A\u2554\u2569\u2566\u2560\u2550\u256C\u2567\u2568\u2564\u2565\u2559\u2558\u2552\u2553\u256B\u256A\u2518\u250C\u2588\u2584\u258C\u2590\u2580\u03B1\xDF\u0393\u03C0\u03A3\u03C3\xB5\u03C4\u03A6\u0398\u03A9\u03B4\u221E\u03C6\u03B5\u2229\u2261\xB1\u2265\u2264\u2320\u2321\xF7\u2248\xB0\u2219\xB7\u221A\u207F\xB2\u25A0\xA0";
    function decodeBuffer(buffer, isUtf8) {
      if (isUtf8) {
        return buffer.toString("utf8");
      } else {
        var result = "";
        for (var i = 0; i < buffer.length; i++) {
          result += cp437[buffer[i]];
        }
        return result;
      }
    }
    function readUInt64LE(buffer, offset) {
      var lower32 = buffer.readUInt32LE(offset);
      var upper32 = buffer.readUInt32LE(offset + 4);
      return upper32 * 4294967296 + lower32;
    }
    var newBuffer;
    if (typeof Buffer.allocUnsafe === "function") {
      newBuffer = function(len) {
        return Buffer.allocUnsafe(len);
      };
    } else {
      newBuffer = function(len) {
        return new Buffer(len);
      };
    }
    function installDestroyFn(stream, fn) {
      if (typeof stream.destroy === "function") {
        stream._destroy = function(err, cb) {
          fn();
          if (cb != null) cb(err);
        };
      } else {
        stream.destroy = fn;
      }
    }
    function defaultCallback(err) {
      if (err) throw err;
    }
  }
});

// src/cli/serve-command.ts
import { writeFile as writeFile2 } from "node:fs/promises";
import { join as join9, resolve as resolve2 } from "node:path";
import { parseArgs } from "node:util";

// src/policy/proxy-policy.ts
import { createHash } from "node:crypto";
var maxLines = 8;
var maxBytes = 600;
var maxLineBytes = 160;
function oneLine(text) {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").replace(/\s+/g, " ").trim();
  return truncateBytes(flat, maxLineBytes);
}
function truncateBytes(text, limit) {
  if (Buffer.byteLength(text, "utf8") <= limit) return text;
  let out = "";
  for (const ch of text) {
    if (Buffer.byteLength(`${out}${ch}...`, "utf8") > limit) break;
    out += ch;
  }
  return `${out}...`;
}
var ProxyPolicy = class {
  policy;
  /** Private patterns: the policy's plus those of the environment (GOPRIVATE, GONOPROXY). */
  privatePatterns;
  /** Changes whenever the inputs of metadata decisions change, so recorded decisions can be re-made. */
  fingerprint;
  constructor(policy, options2 = {}) {
    this.privatePatterns = [.../* @__PURE__ */ new Set([...policy.private, ...options2.extraPrivatePatterns ?? []])];
    this.policy = { ...policy, private: this.privatePatterns };
    const inputs = JSON.stringify({ rules: policy.rules, private: [...this.privatePatterns].sort() });
    this.fingerprint = createHash("sha256").update(inputs).digest("hex").slice(0, 16);
  }
  /** Private modules are fetched only direct or from the private upstream, never looked up in a checksum database. */
  isPrivate(module) {
    return matchPatternList(this.privatePatterns, module, { foldCase: true });
  }
  /** Path rules (and version constraints for `.zip`), decided before any upstream contact. */
  beforeUpstream(module, version, kind) {
    return decideVersion(this.policy, module, version, kind);
  }
  /** Metadata rules for a version whose zip just entered the store. Record the result with the blob. */
  onNewVersion(input) {
    let retracted = null;
    if (input.latestGoModText !== null) {
      try {
        const goMod = parseGoMod(input.latestGoModText, `${input.module}/go.mod`, { lax: true });
        if (isRetracted(input.version, goMod.retract)) {
          retracted = {
            rationale: shortMessage(retractionRationales(input.version, goMod.retract)[0] ?? "", "")
          };
        }
      } catch (err) {
        if (!(err instanceof GoModError)) throw err;
      }
    }
    const decision = decideMetadata(this.policy, {
      module: input.module,
      version: input.version,
      time: input.infoTime,
      retracted,
      now: input.now
    });
    return { ...decision, policyFingerprint: this.fingerprint };
  }
  /**
   * True when a recorded decision must be made again: it was made under other rules, or it
   * depended on the clock (min-age) and that time has passed.
   */
  isStale(recorded, now) {
    if (recorded.policyFingerprint !== this.fingerprint) return true;
    if (recorded.recheckAfter !== void 0 && now.getTime() >= Date.parse(recorded.recheckAfter))
      return true;
    return false;
  }
  /** The 403 body: short text/plain the go command prints whole (<= 8 lines, <= 600 bytes, no blank line). */
  denialText(decision) {
    const subject = decision.module ? `${decision.module}${decision.version ? `@${decision.version}` : ""}` : "this request";
    const source = decision.source ?? this.policy.source;
    const lines = [
      oneLine(`goproxy-action policy denied ${subject}`),
      oneLine(
        `rule: ${decision.rule ?? "policy"}${decision.line ? ` (${source} line ${decision.line})` : ""}`
      )
    ];
    if (decision.reason) lines.push(oneLine(`reason: ${decision.reason}`));
    lines.push(oneLine(`policy file: ${source}`));
    if (decision.fix) lines.push(oneLine(`fix: ${decision.fix}`));
    let text = lines.slice(0, maxLines).join("\n");
    while (Buffer.byteLength(text, "utf8") > maxBytes && lines.length > 2) {
      lines.splice(lines.length - 1, 1);
      text = lines.join("\n");
    }
    return `${truncateBytes(text, maxBytes)}
`;
  }
};

// src/store/blob-store.ts
import { mkdir as mkdir2, open as open2, readFile, rmdir, stat as stat3, unlink as unlink2 } from "node:fs/promises";
import { dirname as dirname2, join as join4, resolve } from "node:path";

// src/store/atomic-file.ts
import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";

// src/store/store-write-error.ts
var capacityCodes = /* @__PURE__ */ new Set(["ENOSPC", "EDQUOT", "EROFS", "EFBIG"]);
var StoreWriteError = class extends Error {
  name = "StoreWriteError";
  /** The errno code: ENOSPC, EDQUOT, EROFS or EFBIG. */
  code;
  /** The file whose write failed (the final path, not the temp file). */
  path;
  constructor(code, path, cause) {
    super(`cannot store ${path}: ${describe(code)}`, { cause });
    this.code = code;
    this.path = path;
  }
};
function describe(code) {
  switch (code) {
    case "ENOSPC":
      return "disk full (ENOSPC); free space on that disk or use a store directory on another one";
    case "EDQUOT":
      return "disk quota exceeded (EDQUOT); raise the quota or use a store directory elsewhere";
    case "EROFS":
      return "read-only filesystem (EROFS); use a writable store directory";
    default:
      return `file too large for this filesystem (${code})`;
  }
}
function asStoreWriteError(err, path) {
  const code = err?.code;
  if (typeof code === "string" && capacityCodes.has(code)) return new StoreWriteError(code, path, err);
  return err;
}

// src/store/atomic-file.ts
var tempPrefix = ".tmp-";
var cleanupMayFail = /* @__PURE__ */ new Set(["ENOENT", "EROFS", "EACCES", "EPERM"]);
var staleTempAgeMs = 24 * 60 * 60 * 1e3;
function newTempPath(finalPath) {
  return join(dirname(finalPath), `${tempPrefix}${process.pid}-${randomBytes(8).toString("hex")}`);
}
async function openTemp(finalPath) {
  const dir = dirname(finalPath);
  for (let attempt = 0; ; attempt++) {
    await mkdir(dir, { recursive: true });
    const tempPath = newTempPath(finalPath);
    try {
      return { handle: await open(tempPath, "wx", 420), tempPath };
    } catch (err) {
      if (err.code !== "ENOENT" || attempt >= 3) throw err;
    }
  }
}
async function beginAtomicWrite(finalPath) {
  let opened;
  try {
    opened = await openTemp(finalPath);
  } catch (err) {
    throw asStoreWriteError(err, finalPath);
  }
  const { handle, tempPath } = opened;
  let state = "open";
  let queue = Promise.resolve();
  const cleanup = async () => {
    if (state === "open") {
      state = "closed";
      await handle.close().catch(() => void 0);
    }
    if (state === "closed") {
      state = "done";
      await unlink(tempPath).catch(() => void 0);
    }
  };
  const failWith = async (err) => {
    await cleanup();
    throw asStoreWriteError(err, finalPath);
  };
  const enqueue = (step) => {
    const next = queue.then(step);
    queue = next.catch(() => void 0);
    return next;
  };
  return {
    path: tempPath,
    write: (chunk) => enqueue(async () => {
      if (state !== "open")
        throw new Error(`write after commit, discard, detach or a failed write of ${finalPath}`);
      try {
        let offset = 0;
        while (offset < chunk.byteLength) {
          const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
          offset += bytesWritten;
        }
      } catch (err) {
        await failWith(err);
      }
    }),
    commit: () => enqueue(async () => {
      if (state !== "open")
        throw new Error(`commit after commit, discard, detach or a failed write of ${finalPath}`);
      try {
        await handle.sync();
        state = "closed";
        await handle.close();
        await rename(tempPath, finalPath);
        state = "done";
      } catch (err) {
        await failWith(err);
      }
    }),
    discard: () => enqueue(cleanup),
    detach: async () => {
      await enqueue(async () => {
        if (state !== "open")
          throw new Error(`detach after commit, discard, detach or a failed write of ${finalPath}`);
        state = "done";
        await handle.close();
      });
      return tempPath;
    }
  };
}
async function writeFileAtomic(finalPath, data) {
  const pending = await beginAtomicWrite(finalPath);
  try {
    await pending.write(data);
    await pending.commit();
  } catch (err) {
    await pending.discard();
    throw err;
  }
}
function isProcessAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}
async function removeStaleTempFiles(root) {
  let removed = 0;
  const visit = async (dir) => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (err.code === "ENOENT") return;
      throw err;
    }
    await Promise.all(
      entries.map(async (entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) return visit(path);
        if (entry.isFile() && entry.name.startsWith(tempPrefix) && await isStaleTemp(path, entry.name)) {
          try {
            await unlink(path);
            removed++;
          } catch (err) {
            if (!cleanupMayFail.has(err.code ?? "")) throw err;
          }
        }
      })
    );
  };
  await visit(root);
  return removed;
}
async function isStaleTemp(path, name) {
  const pid = Number.parseInt(name.slice(tempPrefix.length), 10);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return true;
  const info = await stat(path).catch(() => null);
  return info !== null && Date.now() - info.mtimeMs >= staleTempAgeMs;
}

// src/store/keyed-lock.ts
var KeyedLock = class {
  #tails = /* @__PURE__ */ new Map();
  /** Runs `work` after every earlier call with the same key has settled. */
  run(key, work) {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => void 0,
      () => void 0
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
};

// src/store/seed-from-mod-cache.ts
import { createReadStream } from "node:fs";

// src/store/store-inventory.ts
import { readdir as readdir2, stat as stat2 } from "node:fs/promises";
import { join as join3 } from "node:path";

// src/store/store-layout.ts
import { isAbsolute, join as join2, relative, sep } from "node:path";
var blobExts = ["info", "mod", "zip", "ziphash"];
var versionDirName = "@v";
var listFileName = "list";
var bookkeepingDirName = ".goproxy-action";
var sumdbDirName = "sumdb";
function isBlobExt(ext) {
  return blobExts.includes(ext);
}
function parseBlobName(name) {
  const dot = name.lastIndexOf(".");
  if (dot <= 0 || name.startsWith(".")) return null;
  const ext = name.slice(dot + 1);
  if (!isBlobExt(ext)) return null;
  return { escapedVersion: name.slice(0, dot), ext };
}
function checkSafeElement(element, what) {
  if (element === "" || element.startsWith(".") || /[/\\:\0]/.test(element) || element.length > 255 || // Control characters never belong in a module path, version or sumdb path.
  [...element].some((c) => c.codePointAt(0) < 32)) {
    throw new Error(`refusing unsafe ${what} ${JSON.stringify(element)}: not a store path element`);
  }
}
function joinInside(root, elements, what) {
  const full = join2(root, ...elements);
  const rel = relative(root, full);
  if (rel === "" || isAbsolute(rel) || rel.split(sep)[0] === "..") {
    throw new Error(`refusing ${what} ${JSON.stringify(elements.join("/"))}: it resolves outside the store`);
  }
  return full;
}

// src/store/store-inventory.ts
async function readDirOrEmpty(dir) {
  try {
    return await readdir2(dir, { withFileTypes: true });
  } catch (err) {
    const code = err.code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw err;
  }
}
async function findModuleDirs(root) {
  const found = [];
  const visit = async (dir, escapedPrefix) => {
    const entries = await readDirOrEmpty(dir);
    await Promise.all(
      entries.map(async (entry) => {
        if (!entry.isDirectory() || entry.name.startsWith(".")) return;
        if (escapedPrefix === "" && entry.name === sumdbDirName) return;
        const child = join3(dir, entry.name);
        if (entry.name === versionDirName) {
          if (escapedPrefix !== "") {
            found.push({
              escapedModule: escapedPrefix,
              versionDir: child,
              entries: await readDirOrEmpty(child)
            });
          }
          return;
        }
        await visit(child, escapedPrefix === "" ? entry.name : `${escapedPrefix}/${entry.name}`);
      })
    );
  };
  await visit(root, "");
  return found;
}
function decodeModulePath(escaped) {
  try {
    return unescapePath(escaped);
  } catch {
    return null;
  }
}
function decodeVersion(escaped) {
  try {
    return unescapeVersion(escaped);
  } catch {
    return null;
  }
}
async function scanVersionDir(module, escapedModule, versionDir, entries) {
  const byVersion = /* @__PURE__ */ new Map();
  await Promise.all(
    (entries ?? await readDirOrEmpty(versionDir)).map(async (entry) => {
      if (!entry.isFile()) return;
      const parsed = parseBlobName(entry.name);
      if (!parsed) return;
      const version = decodeVersion(parsed.escapedVersion);
      if (version === null) return;
      const path = join3(versionDir, entry.name);
      const info = await stat2(path).catch(() => null);
      if (!info?.isFile()) return;
      let stored = byVersion.get(version);
      if (!stored) {
        stored = {
          module,
          version,
          escapedModule,
          escapedVersion: parsed.escapedVersion,
          versionDir,
          files: {}
        };
        byVersion.set(version, stored);
      }
      stored.files[parsed.ext] = { path, size: info.size };
    })
  );
  return [...byVersion.values()];
}
async function scanStoredVersions(root) {
  const all = await Promise.all(
    (await findModuleDirs(root)).map(async (dir) => {
      const module = decodeModulePath(dir.escapedModule);
      return module === null ? [] : scanVersionDir(module, dir.escapedModule, dir.versionDir, dir.entries);
    })
  );
  return all.flat();
}

// src/store/seed-from-mod-cache.ts
var seedConcurrency = 4;
var copyOrder = ["info", "mod", "zip", "ziphash"];
async function copyIntoStore(store, module, version, ext, source) {
  const pending = await store.beginWrite(module, version, ext);
  try {
    for await (const chunk of createReadStream(source)) await pending.write(chunk);
    await pending.commit();
  } catch (err) {
    await pending.discard();
    throw err;
  }
}
async function seedFromModCache(store, downloadDir, verify) {
  const candidates = await scanStoredVersions(downloadDir);
  let copied = 0;
  let skipped = 0;
  let next = 0;
  const seedOne = async (index) => {
    const candidate = candidates[index];
    const { module, version } = candidate;
    const missing = [];
    for (const ext of blobExts) {
      const source = candidate.files[ext];
      if (!source) continue;
      const present = await store.stat(module, version, ext);
      if (present?.size !== source.size) missing.push(ext);
    }
    if (missing.length === 0) {
      skipped++;
      return;
    }
    const files = {};
    for (const ext of blobExts) {
      const source = candidate.files[ext];
      if (source) files[ext] = source.path;
    }
    if (!await verify(module, version, files)) {
      skipped++;
      return;
    }
    for (const ext of copyOrder) {
      const source = files[ext];
      if (source && missing.includes(ext)) await copyIntoStore(store, module, version, ext, source);
    }
    if (files.mod) await store.addVersionToList(module, version);
    copied++;
  };
  const worker = async () => {
    while (next < candidates.length) await seedOne(next++);
  };
  await Promise.all(Array.from({ length: Math.min(seedConcurrency, candidates.length) }, worker));
  return { copied, skipped };
}

// src/store/version-list.ts
function isListableVersion(version) {
  return isCanonicalVersion(version) && !isPseudoVersion(version);
}
function parseVersionList(text) {
  const versions = [];
  for (const line of text.split("\n")) {
    const version = line.trim().split(/\s+/)[0] ?? "";
    if (isListableVersion(version)) versions.push(version);
  }
  return versions;
}
function formatVersionList(versions) {
  const sorted = sortVersions([...new Set(versions)].filter(isListableVersion));
  return sorted.map((v) => `${v}
`).join("");
}

// src/store/blob-store.ts
var metaDirName = "meta";
var sumdbNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,253}$/;
function isMissing(err) {
  const code = err?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
var BlobStore = class _BlobStore {
  /** Absolute path of the store directory. */
  root;
  #listLock = new KeyedLock();
  #used = /* @__PURE__ */ new Set();
  constructor(root) {
    this.root = root;
  }
  /** Opens (creating) the store at `root` and removes temp files a killed writer left behind. */
  static async open(root) {
    const absolute = resolve(root);
    try {
      await mkdir2(absolute, { recursive: true });
    } catch (err) {
      throw new Error(
        `cannot use ${absolute} as the module store: ${err.message}; give a directory that can be created or exists`,
        { cause: err }
      );
    }
    await removeStaleTempFiles(absolute);
    return new _BlobStore(absolute);
  }
  // ---- paths -------------------------------------------------------------------------------
  #escapedModuleElements(module) {
    const elements = escapePath(module).split("/");
    for (const element of elements) checkSafeElement(element, "module path element");
    if (!elements[0]?.includes(".")) {
      throw new Error(`refusing module path ${JSON.stringify(module)}: its first element has no dot`);
    }
    return elements;
  }
  #versionFileName(version, suffix) {
    const escaped = escapeVersion(version);
    checkSafeElement(escaped, "version");
    return `${escaped}.${suffix}`;
  }
  /** `<root>/<escaped module>/@v/<escaped version>.<ext>` */
  filePath(module, version, ext) {
    if (!isBlobExt(ext))
      throw new Error(`unknown blob kind ${JSON.stringify(ext)}: use info, mod, zip or ziphash`);
    return joinInside(
      this.root,
      [...this.#escapedModuleElements(module), versionDirName, this.#versionFileName(version, ext)],
      "module file"
    );
  }
  /** `<root>/<escaped module>/@v/list` */
  listPath(module) {
    return joinInside(
      this.root,
      [...this.#escapedModuleElements(module), versionDirName, listFileName],
      "list"
    );
  }
  /** `<root>/.goproxy-action/meta/<escaped module>/@v/<escaped version>.json` */
  metaPath(module, version) {
    return joinInside(
      this.root,
      [
        bookkeepingDirName,
        metaDirName,
        ...this.#escapedModuleElements(module),
        versionDirName,
        this.#versionFileName(version, "json")
      ],
      "metadata file"
    );
  }
  /** `<root>/sumdb/<name>/<subpath>`; subpath like "lookup/golang.org/x/text@v0.3.0" or "tile/8/0/x001/234.p/5". */
  sumdbPath(name, subpath) {
    if (!sumdbNamePattern.test(name) || name.includes("..")) {
      throw new Error(`invalid checksum database name ${JSON.stringify(name)}: expected a host-like name`);
    }
    const elements = subpath.split("/");
    for (const element of elements) {
      if (!/^[A-Za-z0-9_~!@+-][A-Za-z0-9._~!@+-]*$/.test(element)) {
        throw new Error(
          `invalid checksum database path ${JSON.stringify(subpath)}: elements must be non-empty, not start with a dot, and use only letters, digits and -._~!@+`
        );
      }
    }
    return joinInside(this.root, [sumdbDirName, name, ...elements], "checksum database path");
  }
  // ---- reading -----------------------------------------------------------------------------
  async stat(module, version, ext) {
    try {
      const info = await stat3(this.filePath(module, version, ext));
      return info.isFile() ? { size: info.size } : null;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }
  async readFile(module, version, ext) {
    return readOrNull(this.filePath(module, version, ext));
  }
  /**
   * A stream of the stored blob, or null if it is not stored. The file is opened before this
   * resolves, so a concurrent prune cannot turn a hit into a failed stream.
   */
  async openRead(module, version, ext) {
    try {
      const handle = await open2(this.filePath(module, version, ext), "r");
      return handle.createReadStream();
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }
  /** The versions with at least one stored blob (pseudo-versions included), in Go's order. */
  async storedVersions(module) {
    const versionDir = dirname2(this.listPath(module));
    const stored = await scanVersionDir(module, escapePath(module), versionDir);
    return sortVersions(stored.map((v) => v.version));
  }
  // ---- writing -----------------------------------------------------------------------------
  /** Starts streaming a blob to a temp file next to its final path; commit or discard it. */
  async beginWrite(module, version, ext) {
    return beginAtomicWrite(this.filePath(module, version, ext));
  }
  async writeFileAtomic(module, version, ext, data) {
    await writeFileAtomic(this.filePath(module, version, ext), data);
  }
  /**
   * Adds `version` to the module's @v/list (for GOPROXY=file:// readers). Pseudo-versions and
   * non-canonical versions are ignored, as proxies leave them out of lists.
   */
  async addVersionToList(module, version) {
    const listPath = this.listPath(module);
    if (!isListableVersion(version)) return;
    await this.#listLock.run(module, async () => {
      const current = await readOrNull(listPath);
      const versions = current ? parseVersionList(current.toString("utf8")) : [];
      if (versions.includes(version)) return;
      await writeFileAtomic(listPath, Buffer.from(formatVersionList([...versions, version])));
    });
  }
  // ---- metadata and checksum-database cache -------------------------------------------------
  async writeMeta(module, version, meta) {
    await writeFileAtomic(this.metaPath(module, version), Buffer.from(`${JSON.stringify(meta, null, 2)}
`));
  }
  async readMeta(module, version) {
    const path = this.metaPath(module, version);
    const data = await readOrNull(path);
    if (data === null) return null;
    try {
      return JSON.parse(data.toString("utf8"));
    } catch (err) {
      throw new Error(
        `corrupt metadata file ${path} (${err.message}); delete it to have it rebuilt`
      );
    }
  }
  async readSumdb(name, subpath) {
    return readOrNull(this.sumdbPath(name, subpath));
  }
  async writeSumdb(name, subpath, data) {
    await writeFileAtomic(this.sumdbPath(name, subpath), data);
  }
  // ---- usage, prune, summary, seeding -------------------------------------------------------
  /** Records that `module@version` was served by this process (in memory). */
  markUsed(module, version) {
    this.#used.add(`${module}@${version}`);
  }
  /** A copy of the `module@version` keys marked used so far. */
  usedVersions() {
    return new Set(this.#used);
  }
  /**
   * Removes every stored module version whose `module@version` is not in `used`: its blobs and
   * its metadata; rewrites the affected lists and removes directories left empty. sumdb/ is left
   * alone. The counts are of blob files (.info, .mod, .zip, .ziphash).
   */
  async prune(used = this.usedVersions()) {
    const result = { removedFiles: 0, removedBytes: 0, keptFiles: 0, keptBytes: 0 };
    const touched = /* @__PURE__ */ new Map();
    for (const stored of await scanStoredVersions(this.root)) {
      const files = Object.values(stored.files);
      if (used.has(`${stored.module}@${stored.version}`)) {
        result.keptFiles += files.length;
        result.keptBytes += files.reduce((sum, f) => sum + f.size, 0);
        continue;
      }
      for (const file of files) {
        if (await unlinkIfPresent(file.path)) {
          result.removedFiles++;
          result.removedBytes += file.size;
        }
      }
      touched.set(stored.module, stored);
    }
    for (const [module, stored] of touched) {
      await this.#listLock.run(module, () => this.#rewriteListAfterPrune(module, stored.versionDir));
      await removeEmptyDirs(stored.versionDir, this.root);
    }
    await this.#pruneMeta(used);
    return result;
  }
  async #rewriteListAfterPrune(module, versionDir) {
    const listPath = join4(versionDir, listFileName);
    const current = await readOrNull(listPath);
    if (current === null) return;
    const remaining = new Set(
      (await scanVersionDir(module, escapePath(module), versionDir)).map((v) => v.version)
    );
    const text = formatVersionList(
      parseVersionList(current.toString("utf8")).filter((v) => remaining.has(v))
    );
    if (text === "") await unlinkIfPresent(listPath);
    else if (text !== current.toString("utf8")) await writeFileAtomic(listPath, Buffer.from(text));
  }
  async #pruneMeta(used) {
    const metaRoot = join4(this.root, bookkeepingDirName, metaDirName);
    for (const dir of await findModuleDirs(metaRoot)) {
      const module = decodeModulePath(dir.escapedModule);
      if (module === null) continue;
      let removedAny = false;
      for (const entry of dir.entries) {
        if (!entry.isFile() || !entry.name.endsWith(".json") || entry.name.startsWith(".")) continue;
        const version = decodeVersion(entry.name.slice(0, -".json".length));
        if (version === null || used.has(`${module}@${version}`)) continue;
        removedAny = await unlinkIfPresent(join4(dir.versionDir, entry.name)) || removedAny;
      }
      if (removedAny) await removeEmptyDirs(dir.versionDir, metaRoot);
    }
  }
  /** Counts of stored blob files, their bytes, module versions and modules. */
  async summary() {
    const versions = await scanStoredVersions(this.root);
    let files = 0;
    let bytes = 0;
    for (const stored of versions) {
      for (const file of Object.values(stored.files)) {
        files++;
        bytes += file.size;
      }
    }
    return { files, bytes, versions: versions.length, modules: new Set(versions.map((v) => v.module)).size };
  }
  /**
   * Imports an existing `$GOMODCACHE/cache/download` tree. For each module version that has
   * files the store lacks, `verify` decides whether it is copied. Counts are module versions.
   */
  async seedFromModCache(downloadDir, verify) {
    return seedFromModCache(this, downloadDir, verify);
  }
};
async function readOrNull(path) {
  try {
    return await readFile(path);
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}
async function unlinkIfPresent(path) {
  try {
    await unlink2(path);
    return true;
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
}
async function removeEmptyDirs(dir, stopAt) {
  let current = dir;
  while (current !== stopAt && current.startsWith(stopAt)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    current = dirname2(current);
  }
}

// src/sumdb/gosumdb-setting.ts
var forms = 'use off, <name>, <name>+<key>, or "<name>+<key> <url>"';
function invalid(value, why) {
  return new Error(`invalid GOSUMDB ${JSON.stringify(value)}: ${why}; ${forms}`);
}
function checkDatabaseName(value, name) {
  let parsed;
  try {
    parsed = new URL(`https://${name}`);
  } catch {
    throw invalid(value, `database name ${JSON.stringify(name)} must be host[/path]`);
  }
  const plain = /^[A-Za-z0-9.-]+(?::[0-9]+)?(?:\/[A-Za-z0-9._~-]+)*$/.test(name) && parsed.username === "" && parsed.search === "" && parsed.hash === "";
  if (!plain) throw invalid(value, `database name ${JSON.stringify(name)} must be host[/path]`);
}
function parseGosumdb(value) {
  const fields = value.trim().split(/\s+/).filter((f) => f !== "");
  if (fields.length === 0) throw invalid(value, "it is empty (unset it to get the default database)");
  if (fields.length > 2) throw invalid(value, "too many fields");
  const [first, urlText] = fields;
  if (first === "off") {
    if (urlText !== void 0) throw invalid(value, '"off" takes no URL');
    return { name: "off", key: null, url: null, off: true };
  }
  let name = first;
  let key = null;
  if (first.includes("+")) {
    try {
      name = parseVerifierKey(first).name;
    } catch (error) {
      throw invalid(value, error.message);
    }
    key = first;
  }
  checkDatabaseName(value, name);
  let url = null;
  if (urlText !== void 0) {
    let parsed;
    try {
      parsed = new URL(urlText);
    } catch {
      throw invalid(value, `${JSON.stringify(urlText)} is not a URL`);
    }
    if (!["https:", "http:", "file:"].includes(parsed.protocol)) {
      throw invalid(value, `URL scheme ${parsed.protocol} is not supported (use https, http or file)`);
    }
    url = urlText.replace(/\/+$/, "");
  }
  return { name, key, url, off: false };
}

// src/upstream/direct-fetcher.ts
import { execFile } from "node:child_process";
import { mkdtemp, readFile as readFile2, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join5 } from "node:path";

// src/upstream/redact-secrets.ts
var secretNamePattern = /(TOKEN|PASSWORD|SECRET|PASS|AUTH|CREDENTIAL|KEY)/i;
function secretValuesFrom(env) {
  const values = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < 6) continue;
    if (secretNamePattern.test(name) || /^GIT_CONFIG_VALUE_\d+$/.test(name)) values.push(value);
  }
  return values.sort((a, b) => b.length - a.length);
}
function redactSecrets(text, secrets) {
  let out = text.replace(/(\/\/)[^/@\s:]+:[^/@\s]+@/g, "$1***@");
  out = out.replace(/(authorization:\s*)(basic|bearer)\s+\S+/gi, "$1$2 ***");
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join("***");
  }
  return out;
}

// src/upstream/direct-fetcher.ts
var DirectFetchError = class extends Error {
  name = "DirectFetchError";
  notFound;
  constructor(message, notFound) {
    super(message);
    this.notFound = notFound;
  }
};
var notFoundPattern = /unknown revision|no matching versions|not found|invalid version|does not exist|no such|repository .* not found|malformed module path|404/i;
var DirectFetcher = class {
  #go;
  #env;
  #secrets;
  #timeoutMs;
  constructor(options2 = {}) {
    this.#go = options2.goBinary ?? "go";
    this.#env = options2.env ?? process.env;
    this.#secrets = secretValuesFrom(this.#env);
    this.#timeoutMs = options2.timeoutMs ?? 10 * 6e4;
  }
  /** `go mod download -json module@query`: .info, .mod and .zip of the resolved version. */
  async download(module, query, withZip) {
    const work = await mkdtemp(join5(tmpdir(), "goproxy-action-direct-"));
    const cleanup = () => rm(work, { recursive: true, force: true });
    try {
      const args = withZip ? ["mod", "download", "-json", `${module}@${query}`] : ["list", "-m", "-json", `${module}@${query}`];
      const out = await this.#run(args, work);
      const result = JSON.parse(out);
      const error = typeof result.Error === "string" ? result.Error : result.Error?.Err;
      if (error) throw this.#error(error);
      if (!result.Version) throw new DirectFetchError(`go did not resolve ${module}@${query}`, true);
      const versionDir = join5(work, "modcache", "cache", "download", escapePath(module), "@v");
      const info = await readFile2(result.Info ?? join5(versionDir, `${escapeVersion(result.Version)}.info`));
      const mod = await readFile2(result.GoMod ?? join5(versionDir, `${escapeVersion(result.Version)}.mod`));
      return { version: result.Version, info, mod, zipPath: result.Zip ?? null, cleanup };
    } catch (err) {
      await cleanup();
      throw err;
    }
  }
  /** Known versions, retracted ones included (a proxy's list keeps them; the go command hides them). */
  async list(module) {
    const work = await mkdtemp(join5(tmpdir(), "goproxy-action-direct-"));
    try {
      const out = await this.#run(["list", "-m", "-json", "-versions", "-retracted", module], work);
      const result = JSON.parse(out);
      if (result.Error?.Err) throw this.#error(result.Error.Err);
      return result.Versions ?? [];
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  async #run(args, work) {
    const env = {
      ...this.#env,
      GOPROXY: "direct",
      GOSUMDB: "off",
      GOMODCACHE: join5(work, "modcache"),
      GOPATH: join5(work, "gopath"),
      GOFLAGS: "-modcacherw",
      GO111MODULE: "on",
      GOWORK: "off",
      GOTOOLCHAIN: "local",
      GIT_TERMINAL_PROMPT: "0"
    };
    return await new Promise((resolve3, reject) => {
      execFile(
        this.#go,
        args,
        { cwd: work, env, timeout: this.#timeoutMs, maxBuffer: 16 << 20 },
        (err, stdout, stderr) => {
          if (stdout.trim().startsWith("{")) return resolve3(stdout);
          if (err) return reject(this.#error(stderr || err.message));
          resolve3(stdout);
        }
      );
    });
  }
  #error(text) {
    const message = redactSecrets(text.trim(), this.#secrets).split("\n").slice(-6).join("\n");
    return new DirectFetchError(message, notFoundPattern.test(message));
  }
};

// src/upstream/http-upstream.ts
import { createReadStream as createReadStream2 } from "node:fs";
import { stat as stat4 } from "node:fs/promises";
import { fileURLToPath } from "node:url";

// src/upstream/trust-system-certificates.ts
import tls from "node:tls";
function trustSystemCertificates() {
  if (typeof tls.setDefaultCACertificates !== "function") return;
  try {
    const merged = /* @__PURE__ */ new Set([...tls.getCACertificates("default"), ...tls.getCACertificates("system")]);
    tls.setDefaultCACertificates([...merged]);
  } catch {
  }
}

// src/upstream/http-upstream.ts
var defaultHttpUpstreamOptions = {
  timeoutMs: 3e4,
  attempts: 3,
  backoffMs: (attempt) => 150 * 4 ** (attempt - 1),
  maxBackoffMs: 3e3
};
var userAgent = "goproxy-action";
var HttpUpstream = class {
  #client = null;
  #options;
  constructor(options2 = {}) {
    this.#options = { ...defaultHttpUpstreamOptions, ...options2 };
  }
  /** undici and the OS certificate store load on the first network fetch: a warm proxy never pays. */
  #getClient() {
    if (!this.#client) trustSystemCertificates();
    this.#client ??= import("./undici-LCMKDQIV.js").then((loaded) => {
      const { Agent, interceptors, request } = "Agent" in loaded ? loaded : loaded.default;
      return {
        request,
        dispatcher: new Agent({
          connectTimeout: this.#options.timeoutMs,
          headersTimeout: this.#options.timeoutMs,
          bodyTimeout: this.#options.timeoutMs,
          keepAliveTimeout: 1e4,
          connections: 64
        }).compose(interceptors.redirect({ maxRedirections: 5 }))
      };
    });
    return this.#client;
  }
  /** GET `<base>/<subpath>`; subpath is already escaped and validated by the caller. */
  async get(base, subpath) {
    if (base.startsWith("file:")) return getFile(base, subpath);
    const url = `${base}/${subpath}`;
    let last = null;
    for (let attempt = 1; attempt <= this.#options.attempts; attempt++) {
      let retryAfterMs = 0;
      try {
        const { request, dispatcher } = await this.#getClient();
        const res = await request(url, {
          method: "GET",
          dispatcher,
          headers: { "user-agent": userAgent }
        });
        if (res.statusCode === 200) {
          const length = Number(res.headers["content-length"]);
          return {
            outcome: "ok",
            body: res.body,
            size: Number.isFinite(length) ? length : null,
            source: base
          };
        }
        const text = await shortText(res.body);
        if (res.statusCode === 404 || res.statusCode === 410) {
          return { outcome: "not-found", status: res.statusCode, message: text, source: base };
        }
        last = {
          outcome: "error",
          status: res.statusCode,
          message: `${url}: ${res.statusCode}${text ? `: ${text}` : ""}`,
          source: base
        };
        if (res.statusCode !== 429 && res.statusCode < 500) return last;
        retryAfterMs = parseRetryAfter(res.headers["retry-after"]);
      } catch (err) {
        last = {
          outcome: "error",
          status: null,
          message: `${url}: ${describeNetworkError(err)}`,
          source: base
        };
      }
      if (attempt < this.#options.attempts) {
        const wait = Math.min(
          Math.max(this.#options.backoffMs(attempt), retryAfterMs),
          this.#options.maxBackoffMs
        );
        await new Promise((resolve3) => setTimeout(resolve3, wait));
      }
    }
    return last;
  }
  async close() {
    if (this.#client) await (await this.#client).dispatcher.close();
  }
};
async function getFile(base, subpath) {
  const path = `${fileURLToPath(base)}/${decodeURIComponent(subpath)}`;
  try {
    const info = await stat4(path);
    if (!info.isFile()) return { outcome: "not-found", status: 404, message: "not found", source: base };
    return { outcome: "ok", body: createReadStream2(path), size: info.size, source: base };
  } catch (err) {
    const code = err.code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      return { outcome: "not-found", status: 404, message: "not found", source: base };
    }
    return { outcome: "error", status: 403, message: `${path}: ${err.message}`, source: base };
  }
}
async function shortText(body) {
  const chunks = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      chunks.push(Buffer.from(chunk));
      total += chunk.length;
      if (total > 4096) break;
    }
  } catch {
  }
  body.destroy?.();
  return Buffer.concat(chunks).toString("utf8").slice(0, 600).trim();
}
function parseRetryAfter(value) {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return 0;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return seconds * 1e3;
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : 0;
}
function describeNetworkError(err) {
  const e = err;
  const code = e.code ?? e.cause?.code;
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT") {
    return "timed out";
  }
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "connection reset";
  if (code === "ECONNREFUSED") return "connection refused";
  return e.cause?.message ?? e.message ?? String(err);
}

// src/upstream/upstream-chain.ts
import { createReadStream as createReadStream3 } from "node:fs";
import { Readable } from "node:stream";
var UpstreamChain = class {
  #options;
  constructor(options2) {
    this.#options = options2;
  }
  entriesFor(module) {
    return this.#options.isPrivate(module) ? this.#options.privateEntries ?? [{ kind: "direct", fallThroughOnAnyError: false }] : this.#options.entries;
  }
  async fetchModule(request, consume) {
    const subpath = moduleSubpath(request);
    return this.#walk(
      this.entriesFor(request.module),
      subpath,
      consume,
      (entry) => entry.kind === "direct" ? this.#direct(request) : null
    );
  }
  /** GET `<entry>/sumdb/<name>/<subpath>` along the main chain's URL entries. */
  async fetchSumdb(name, subpath, consume) {
    const entries = [];
    for (const entry of this.#options.entries) {
      if (entry.kind !== "url") break;
      entries.push(entry);
    }
    return this.#walk(entries, `sumdb/${name}/${subpath}`, consume, () => null);
  }
  async #walk(entries, subpath, consume, directAnswer) {
    const notes = [];
    let sawError = false;
    for (const entry of entries) {
      if (entry.kind === "off") {
        notes.push("GOPROXY=off: no further upstream");
        break;
      }
      let answer;
      if (entry.kind === "direct") {
        const direct = directAnswer(entry);
        if (!direct) break;
        answer = await direct;
      } else {
        const res = await this.#options.http.get(entry.url, subpath);
        answer = res.outcome === "ok" ? res : {
          ok: false,
          status: res.outcome === "not-found" ? 404 : 502,
          message: res.message || `${res.status}`
        };
        if (res.outcome !== "ok")
          answer = { ...answer, message: `${entry.url}: ${answer.message}` };
      }
      if ("outcome" in answer) {
        const body = answer;
        try {
          const value = await consume(body);
          return { ok: true, value, source: body.source };
        } catch (err) {
          body.body.destroy();
          answer = { ok: false, status: 502, message: `${body.source}: ${err.message}` };
        } finally {
          await body.direct?.cleanup();
        }
      }
      notes.push(answer.message);
      if (answer.status !== 404) {
        sawError = true;
        if (!entry.fallThroughOnAnyError) break;
      }
    }
    return {
      ok: false,
      status: sawError ? 502 : 404,
      message: notes.length > 0 ? notes.join("; ") : "no upstream configured"
    };
  }
  async #direct(request) {
    const direct = this.#options.direct;
    try {
      if (request.kind === "list") {
        const versions = await direct.list(request.module);
        return bodyOf(Buffer.from(versions.map((v) => `${v}
`).join("")), "direct");
      }
      const query = request.kind === "latest" ? "latest" : request.version;
      const download = await direct.download(request.module, query, request.kind === "zip");
      let body;
      let size = null;
      if (request.kind === "zip") {
        if (!download.zipPath)
          throw new DirectFetchError(`go downloaded no zip for ${request.module}@${query}`, false);
        body = createReadStream3(download.zipPath);
      } else {
        const bytes = request.kind === "mod" ? download.mod : download.info;
        body = Readable.from([bytes]);
        size = bytes.length;
      }
      return { outcome: "ok", body, size, source: "direct", direct: download };
    } catch (err) {
      const notFound = err instanceof DirectFetchError && err.notFound;
      return { ok: false, status: notFound ? 404 : 502, message: `direct: ${err.message}` };
    }
  }
};
function bodyOf(bytes, source) {
  return { outcome: "ok", body: Readable.from([bytes]), size: bytes.length, source };
}
function moduleSubpath(request) {
  const base = escapePath(request.module);
  switch (request.kind) {
    case "list":
      return `${base}/@v/list`;
    case "latest":
      return `${base}/@latest`;
    default:
      return `${base}/@v/${escapeVersion(request.version)}.${request.kind}`;
  }
}

// src/proxy/single-flight.ts
var SingleFlight = class {
  #inFlight = /* @__PURE__ */ new Map();
  run(key, work) {
    const existing = this.#inFlight.get(key);
    if (existing) return existing;
    const promise = work().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, promise);
    return promise;
  }
  /** Resolves when every fetch under way now has settled (graceful shutdown, flush). */
  async settle() {
    while (this.#inFlight.size > 0) {
      await Promise.allSettled([...this.#inFlight.values()]);
    }
  }
  get size() {
    return this.#inFlight.size;
  }
};

// src/proxy/blob-verifier.ts
var integrityFailures = /* @__PURE__ */ new Set(["bad-signature", "not-included", "inconsistent", "mismatch"]);
var BlobVerifier = class {
  #options;
  #lookups = new SingleFlight();
  #lookupCache = /* @__PURE__ */ new Map();
  constructor(options2) {
    this.#options = options2;
  }
  async verify(module, version, kind, hash, files) {
    const { goSum } = this.#options;
    const known = kind === "zip" ? goSum.zipHash(module, version) : goSum.modHash(module, version);
    const what = `${module}@${version}${kind === "mod" ? "/go.mod" : ""}`;
    if (known.length > 0) {
      if (known.includes(hash)) return { status: "verified", by: "go.sum" };
      const files2 = [...new Set(goSum.lines(module, version, kind === "mod").map((l) => l.file))].join(", ");
      return {
        status: "mismatch",
        message: `checksum mismatch for ${what}: upstream sent ${hash}, go.sum (${files2}) has ${known.join(" or ")}. Not stored. Check the upstream proxy; if the go.sum line is wrong, remove it and run go mod tidy.`
      };
    }
    if (this.#options.isNoSum(module)) return { status: "trusted", by: "first-use" };
    if (this.#options.sumdbName === null) {
      return { status: "unverified", reason: `${what} is not in go.sum and GOSUMDB=off` };
    }
    if (this.#options.sumdbLookup) {
      let lines;
      try {
        lines = await this.#lookup(module, version);
      } catch (err) {
        const kind2 = err.kind;
        if (kind2 && integrityFailures.has(kind2))
          return { status: "mismatch", message: err.message };
        return { status: "unverified", reason: `checksum database: ${err.message}` };
      }
      const want = `${module} ${version}${kind === "mod" ? "/go.mod" : ""} `;
      const expected = lines.filter((l) => l.startsWith(want)).map((l) => l.slice(want.length).trim());
      if (expected.includes(hash)) return { status: "verified", by: "sumdb" };
      if (expected.length === 0) return { status: "unverified", reason: `checksum database has no ${what}` };
      return {
        status: "mismatch",
        message: `checksum mismatch for ${what}: upstream sent ${hash}, checksum database ${this.#options.sumdbName} has ${expected.join(" or ")}. Not stored: the upstream served altered content.`
      };
    }
    const gathered = this.#options.goCommandCheck && files ? await files() : null;
    if (this.#options.goCommandCheck && gathered) {
      const result = await this.#options.goCommandCheck(module, version, kind, gathered);
      if (result.ok) return { status: "verified", by: "go-command" };
      if (/SECURITY ERROR|checksum mismatch|verifying/i.test(result.message)) {
        return { status: "mismatch", message: `${what}: ${result.message}` };
      }
      return { status: "unverified", reason: result.message };
    }
    return { status: "unverified", reason: `no way to verify ${what} against the checksum database` };
  }
  #lookup(module, version) {
    const key = `${module}@${version}`;
    const cached = this.#lookupCache.get(key);
    if (cached) return Promise.resolve(cached);
    return this.#lookups.run(key, async () => {
      const lines = await this.#options.sumdbLookup(module, version);
      this.#lookupCache.set(key, lines);
      return lines;
    });
  }
};

// src/proxy/go-command-sumdb-check.ts
import { execFile as execFile2 } from "node:child_process";
import { copyFile, mkdir as mkdir3, mkdtemp as mkdtemp2, rm as rm2, writeFile } from "node:fs/promises";
import { tmpdir as tmpdir2 } from "node:os";
import { join as join6 } from "node:path";
import { pathToFileURL } from "node:url";
function goCommandSumdbCheck(options2) {
  const secrets = secretValuesFrom(options2.env);
  return async (module, version, kind, files) => {
    const work = await mkdtemp2(join6(tmpdir2(), "goproxy-action-verify-"));
    try {
      const dir = join6(work, "proxy", escapePath(module), "@v");
      await mkdir3(dir, { recursive: true });
      const base = join6(dir, escapeVersion(version));
      await writeFile(`${base}.info`, files.info);
      await writeFile(`${base}.mod`, files.mod);
      if (kind === "zip" && files.zipPath) await copyFile(files.zipPath, `${base}.zip`);
      const args = kind === "zip" ? ["mod", "download", "-json", `${module}@${version}`] : ["list", "-m", "-json", `${module}@${version}`];
      const env = {
        ...options2.env,
        GOPROXY: `${pathToFileURL(join6(work, "proxy")).href},${options2.selfUrl()}`,
        GOSUMDB: options2.gosumdb,
        GONOSUMDB: "",
        GONOSUMCHECK: "",
        GOPRIVATE: "",
        GONOPROXY: "",
        GOINSECURE: "",
        GOMODCACHE: join6(work, "modcache"),
        GOPATH: join6(work, "gopath"),
        GOFLAGS: "-modcacherw",
        GOWORK: "off",
        GO111MODULE: "on",
        GOTOOLCHAIN: "local"
      };
      return await new Promise((resolve3) => {
        execFile2(options2.goBinary, args, { cwd: work, env, timeout: 12e4 }, (err, stdout, stderr) => {
          let error = "";
          try {
            const parsed = JSON.parse(stdout);
            error = typeof parsed.Error === "string" ? parsed.Error : parsed.Error?.Err ?? "";
          } catch {
            error = err ? stderr || err.message : "";
          }
          if (!error && err) error = stderr || err.message;
          resolve3({ ok: error === "", message: redactSecrets(error.trim(), secrets) });
        });
      });
    } finally {
      await rm2(work, { recursive: true, force: true });
    }
  };
}

// src/proxy/module-service.ts
import { mkdtemp as mkdtemp3, rm as rm3 } from "node:fs/promises";
import { tmpdir as tmpdir3 } from "node:os";
import { join as join7 } from "node:path";

// src/gomod/dirhash.ts
import { createHash as createHash2 } from "node:crypto";
function hash1(files) {
  const sorted = [...files].sort((a, b) => compareGoStrings(a.name, b.name));
  const summary = createHash2("sha256");
  for (const f of sorted) {
    if (f.name.includes("\n"))
      throw new Error(`dirhash: file name ${JSON.stringify(f.name)} contains a newline`);
    summary.update(`${f.sha256Hex}  ${f.name}
`, "utf8");
  }
  return `h1:${summary.digest("base64")}`;
}
function sha256Hex(bytes) {
  return createHash2("sha256").update(bytes).digest("hex");
}
function hashGoMod(bytes) {
  return hash1([{ name: "go.mod", sha256Hex: sha256Hex(bytes) }]);
}

// src/gomod/module-zip.ts
var import_yauzl2 = __toESM(require_yauzl(), 1);
import { createHash as createHash3 } from "node:crypto";
import { stat as stat5 } from "node:fs/promises";
import { crc32, inflateRawSync } from "node:zlib";

// src/gomod/windowed-zip-reader.ts
var import_yauzl = __toESM(require_yauzl(), 1);
import { open as open3 } from "node:fs/promises";
import { Readable as Readable2 } from "node:stream";
var windowSize = 1 << 20;
var windowCount = 3;
var WindowedZipReader = class _WindowedZipReader extends import_yauzl.default.RandomAccessReader {
  size;
  #file;
  // Most recently used first. Each window is a fresh buffer, so slices handed out stay valid.
  #windows = [];
  #closed = false;
  constructor(file, size) {
    super();
    this.#file = file;
    this.size = size;
  }
  static async open(path) {
    const file = await open3(path, "r");
    try {
      const { size } = await file.stat();
      return new _WindowedZipReader(file, size);
    } catch (err) {
      await file.close();
      throw err;
    }
  }
  /** Bytes [position, position + length), clipped at the end of the file. */
  async readAt(position, length) {
    const end = Math.min(position + length, this.size);
    if (end <= position) return Buffer.alloc(0);
    for (const [i, w] of this.#windows.entries()) {
      if (position >= w.start && end <= w.start + w.bytes.length) {
        if (i > 0) this.#windows = [w, ...this.#windows.filter((x) => x !== w)];
        return w.bytes.subarray(position - w.start, end - w.start);
      }
    }
    if (end - position > windowSize) return this.#readDirect(position, end - position);
    const bytes = await this.#readDirect(position, Math.min(windowSize, this.size - position));
    this.#windows = [{ start: position, bytes }, ...this.#windows].slice(0, windowCount);
    return bytes.subarray(0, end - position);
  }
  async #readDirect(position, length) {
    const buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.#file.read(buffer, done, length - done, position + done);
      if (bytesRead === 0)
        throw new Error(`unexpected end of file at byte ${position + done} of ${this.size}`);
      done += bytesRead;
    }
    return buffer;
  }
  _readStreamForRange(start, end) {
    const reader = this;
    return Readable2.from(
      (async function* () {
        for (let pos = start; pos < end; ) {
          const chunk = await reader.readAt(pos, Math.min(windowSize, end - pos));
          if (chunk.length === 0) throw new Error(`unexpected end of file at byte ${pos}`);
          pos += chunk.length;
          yield chunk;
        }
      })(),
      { objectMode: false }
    );
  }
  // yauzl reads the central directory through this: serve it from the windows too.
  read(buffer, offset, length, position, callback) {
    this.readAt(position, length).then(
      (bytes) => {
        if (bytes.length < length) {
          callback(new Error("unexpected EOF"));
          return;
        }
        bytes.copy(buffer, offset);
        callback(null);
      },
      (err) => callback(err)
    );
  }
  close(callback) {
    if (this.#closed) {
      callback(null);
      return;
    }
    this.#closed = true;
    this.#windows = [];
    this.#file.close().then(
      () => callback(null),
      (err) => callback(err)
    );
  }
};

// src/gomod/module-zip.ts
var maxZipFile = 500 * 1024 * 1024;
var maxGoMod = 16 * 1024 * 1024;
var maxLicense = 16 * 1024 * 1024;
var ModuleZipError = class extends Error {
  problems;
  constructor(file, module, version, problems) {
    const shown = problems.slice(0, 5).map((p) => p.entry ? `${p.entry}: ${p.rule}` : p.rule);
    if (problems.length > shown.length) shown.push(`... and ${problems.length - shown.length} more`);
    super(`invalid module zip ${file} for ${module}@${version}:
${shown.join("\n")}`);
    this.name = "ModuleZipError";
    this.problems = problems;
  }
};
function cleanPath(p) {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out = [];
  let dotdots = 0;
  for (const elem of p.split("/")) {
    if (elem === "" || elem === ".") continue;
    if (elem === "..") {
      if (out.length > dotdots) out.pop();
      else if (!rooted) {
        out.push("..");
        dotdots++;
      }
      continue;
    }
    out.push(elem);
  }
  const joined = out.join("/");
  if (rooted) return `/${joined}`;
  return joined === "" ? "." : joined;
}
function foldKey(s) {
  let out = "";
  for (const c of s) {
    const upper = c.toUpperCase();
    const base = [...upper].length === 1 ? upper : c;
    const lower = base.toLowerCase();
    out += [...lower].length === 1 ? lower : base;
  }
  return out;
}
function parentDir(p) {
  const i = p.lastIndexOf("/");
  return i < 0 ? "." : p.slice(0, i);
}
function baseName(p) {
  return p.slice(p.lastIndexOf("/") + 1);
}
var unixCreators = /* @__PURE__ */ new Set([3, 19]);
var sIFMT = 61440;
var sIFREG = 32768;
var sIFDIR = 16384;
var sIFLNK = 40960;
var utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
function openZip(reader) {
  const options2 = { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false };
  return new Promise((resolve3, reject) => {
    import_yauzl2.default.fromRandomAccessReader(
      reader,
      reader.size,
      options2,
      (err, zip) => err ? reject(err) : resolve3(zip)
    );
  });
}
function openEntry(zip, entry) {
  return new Promise((resolve3, reject) => {
    zip.openReadStream(entry, (err, stream) => err ? reject(err) : resolve3(stream));
  });
}
var smallEntry = 1 << 20;
var localHeaderSignature = 67324752;
async function readSmallEntry(reader, entry) {
  if (entry.generalPurposeBitFlag & 1) throw new Error("encrypted entries are not supported");
  const header = await reader.readAt(entry.relativeOffsetOfLocalHeader, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== localHeaderSignature) {
    throw new Error("invalid local file header signature");
  }
  const dataStart = entry.relativeOffsetOfLocalHeader + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const data = await reader.readAt(dataStart, entry.compressedSize);
  if (data.length < entry.compressedSize) throw new Error("unexpected end of file in entry data");
  if (entry.compressionMethod === 0) return data;
  if (entry.compressionMethod !== 8) {
    throw new Error(
      `unsupported compression method ${entry.compressionMethod} (only store and deflate are allowed)`
    );
  }
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize + 1) });
  } catch (err) {
    if (err.code === "ERR_BUFFER_TOO_LARGE") {
      throw new Error(
        `uncompressed size differs from the declared size ${entry.uncompressedSize} (too many bytes)`
      );
    }
    throw new Error(`cannot read entry data: ${err.message}`);
  }
}
async function digestEntry(zip, reader, entry) {
  const sha = createHash3("sha256");
  let crc = 0;
  let bytes = 0;
  if (entry.compressedSize <= smallEntry) {
    const data = await readSmallEntry(reader, entry);
    sha.update(data);
    crc = crc32(data);
    bytes = data.length;
  } else {
    const stream = await openEntry(zip, entry);
    try {
      for await (const chunk of stream) {
        sha.update(chunk);
        crc = crc32(chunk, crc);
        bytes += chunk.length;
      }
    } catch (err) {
      const message = err.message;
      if (/too (many|few) bytes/.test(message)) {
        throw new Error(
          `uncompressed size differs from the declared size ${entry.uncompressedSize} (${message})`
        );
      }
      throw new Error(`cannot read entry data: ${message}`);
    }
  }
  if (bytes !== entry.uncompressedSize) {
    throw new Error(
      `uncompressed size differs from the declared size ${entry.uncompressedSize} (${bytes} bytes)`
    );
  }
  if (entry.crc32 !== 0 && crc >>> 0 !== entry.crc32 >>> 0)
    throw new Error("checksum error (CRC-32 mismatch)");
  return { sha256Hex: sha.digest("hex"), bytes };
}
function moduleVersionProblem(module, version) {
  const canonical = canonicalVersion(version);
  if (canonical !== version) {
    return `version ${goQuote(version)} is not canonical (should be ${goQuote(canonical)})`;
  }
  try {
    checkModuleVersion(module, version);
  } catch (err) {
    if (err instanceof ModulePathError) return err.message;
    throw err;
  }
  return null;
}
async function checkModuleZip(file, module, version) {
  const fail = (problems2) => new ModuleZipError(file, module, version, problems2);
  const mvProblem = moduleVersionProblem(module, version);
  if (mvProblem) throw fail([{ entry: "", rule: mvProblem }]);
  const size = (await stat5(file)).size;
  if (size > maxZipFile) {
    throw fail([
      { entry: "", rule: `module zip file is too large (${size} bytes; limit is ${maxZipFile} bytes)` }
    ]);
  }
  const reader = await WindowedZipReader.open(file);
  const closeReader = () => new Promise((resolve3) => reader.close(() => resolve3()));
  let zip;
  try {
    zip = await openZip(reader);
  } catch (err) {
    await closeReader();
    throw fail([{ entry: "", rule: `not a readable zip archive: ${err.message}` }]);
  }
  zip.on("error", () => {
  });
  const prefix = `${module}@${version}/`;
  const problems = [];
  const hashed = [];
  const seen = /* @__PURE__ */ new Map();
  let sizeError = null;
  let total = 0;
  let hasGoMod = false;
  const collision = (p, isDir) => {
    const key = foldKey(p);
    const other = seen.get(key);
    if (other) {
      if (other.path !== p)
        return `case-insensitive file name collision: ${goQuote(other.path)} and ${goQuote(p)}`;
      if (other.isDir !== isDir) return `entry ${goQuote(p)} is both a file and a directory`;
      if (!isDir) return `multiple entries for file ${goQuote(p)}`;
    } else {
      seen.set(key, { path: p, isDir });
    }
    const parent = parentDir(p);
    return parent === "." ? null : collision(parent, true);
  };
  const entryProblem = (entry, fullName) => {
    if (!fullName.startsWith(prefix)) return `path does not have prefix ${goQuote(prefix)}`;
    let name = fullName.slice(prefix.length);
    if (name === "") return null;
    const isDir = name.endsWith("/");
    if (isDir) name = name.slice(0, -1);
    if (cleanPath(name) !== name) return "file path is not clean";
    try {
      checkFilePath(name);
    } catch (err) {
      if (err instanceof ModulePathError) return err.message;
      throw err;
    }
    const collided = collision(name, isDir);
    if (collided) return collided;
    if (isDir) return null;
    if (unixCreators.has(entry.versionMadeBy >>> 8)) {
      const type = entry.externalFileAttributes >>> 16 & sIFMT;
      if (type === sIFLNK) return "file is a symbolic link";
      if (type !== 0 && type !== sIFREG && type !== sIFDIR) return "not a regular file";
    }
    const base = baseName(name);
    if (base.toLowerCase() === "go.mod") {
      if (base !== name) return "go.mod file not in module root directory";
      if (name !== "go.mod") return "go.mod files must have lowercase names";
    }
    const sz = entry.uncompressedSize;
    if (maxZipFile - total >= sz) total += sz;
    else
      sizeError ??= `total uncompressed size of module contents too large (max size is ${maxZipFile} bytes)`;
    if (name === "go.mod" && sz > maxGoMod) return `go.mod file too large (max size is ${maxGoMod} bytes)`;
    if (name === "LICENSE" && sz > maxLicense)
      return `LICENSE file too large (max size is ${maxLicense} bytes)`;
    if (name === "go.mod") hasGoMod = true;
    return null;
  };
  try {
    for (; ; ) {
      const entry = await new Promise((resolve3, reject) => {
        const onEntry = (e) => done(() => resolve3(e));
        const onEnd = () => done(() => resolve3(null));
        const onError = (err) => done(() => reject(err));
        const done = (then) => {
          zip.off("entry", onEntry).off("end", onEnd).off("error", onError);
          then();
        };
        zip.on("entry", onEntry).once("end", onEnd).once("error", onError);
        zip.readEntry();
      }).catch((err) => {
        problems.push({ entry: "", rule: `corrupt zip archive: ${err.message}` });
        return null;
      });
      if (!entry) break;
      const raw = entry.fileName;
      let fullName;
      try {
        fullName = utf8.decode(raw);
      } catch {
        fullName = raw.toString("latin1");
        problems.push({ entry: fullName, rule: "file name is not valid UTF-8" });
        continue;
      }
      const problem = entryProblem(entry, fullName);
      if (problem) {
        problems.push({ entry: fullName, rule: problem });
        continue;
      }
      if (sizeError) continue;
      try {
        const { sha256Hex: sha256Hex2 } = await digestEntry(zip, reader, entry);
        hashed.push({ name: fullName, sha256Hex: sha256Hex2 });
      } catch (err) {
        problems.push({ entry: fullName, rule: err.message });
      }
    }
  } finally {
    zip.close();
    await closeReader();
  }
  if (sizeError) throw fail([{ entry: "", rule: sizeError }]);
  if (problems.length > 0) throw fail(problems);
  return { hash: hash1(hashed), size, uncompressedSize: total, hasGoMod };
}

// src/upstream/upstream-response.ts
async function readAll(body, limitBytes) {
  const chunks = [];
  let total = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    total += buf.length;
    if (total > limitBytes) {
      body.destroy();
      throw new Error(`upstream answer is larger than ${limitBytes} bytes`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

// src/proxy/reply.ts
var immutableCache = "public, max-age=604800, immutable";
var shortLivedCache = "public, max-age=60";
function textReply(status, message, extra = {}) {
  const lines = redactSecrets(message, []).split("\n").map((l) => l.trim()).filter((l) => l !== "").slice(0, 7);
  let text = lines.join("\n");
  if (Buffer.byteLength(text) > 600) text = `${Buffer.from(text).subarray(0, 597).toString("utf8")}...`;
  return {
    status,
    contentType: "text/plain; charset=utf-8",
    body: Buffer.from(`${text}
`),
    headers: { "cache-control": "no-store" },
    source: "none",
    ...extra
  };
}

// src/proxy/module-service.ts
var maxZipBytes = 500 << 20;
var maxModBytes = 16 << 20;
var maxSmallAnswerBytes = 8 << 20;
var RejectedBlob = class extends Error {
};
var ModuleService = class {
  #o;
  #flights = new SingleFlight();
  /** Temp files of served-but-unverified blobs, removed a little later or at shutdown. */
  #scratch = /* @__PURE__ */ new Set();
  /** One directory outside the store for blobs fetched while the store cannot be written. */
  #scratchDir = null;
  constructor(options2) {
    this.#o = options2;
  }
  async handle(kind, module, version) {
    const policy = this.#o.policy;
    if (policy) {
      const decision = policy.beforeUpstream(module, version, kind);
      if (decision.action === "deny") return this.#denied(decision);
    }
    switch (kind) {
      case "zip":
        return this.#zip(module, version);
      case "mod":
        return this.#mod(module, version);
      case "info":
        return isCanonicalVersion(version) ? this.#canonicalInfo(module, version) : this.#query(module, version);
      case "list":
      case "latest":
        return this.#fresh(kind, module);
    }
  }
  /** Waits for every fetch under way (flush, graceful shutdown). */
  async settle() {
    await this.#flights.settle();
  }
  async close() {
    await this.settle();
    await Promise.all([...this.#scratch].map((f) => rm3(f, { force: true })));
    if (this.#scratchDir) await rm3(await this.#scratchDir, { recursive: true, force: true });
  }
  #denied(decision) {
    return textReply(403, this.#o.policy.denialText(decision), {
      denial: { rule: decision.rule ?? "policy", reason: decision.reason ?? "" }
    });
  }
  async #zip(module, version) {
    const { store } = this.#o;
    const stored = await store.stat(module, version, "zip");
    if (stored) {
      const recorded = await this.#recordedDecision(module, version);
      if (recorded?.action === "deny") return this.#denied(recorded);
      store.markUsed(module, version);
      return fileReply(store.filePath(module, version, "zip"), stored.size, "application/zip", "store");
    }
    const fetched = await this.#flights.run(
      `zip ${module}@${version}`,
      () => this.#fetchZip(module, version)
    );
    if ("failure" in fetched) return fetched.failure;
    if (fetched.reply.denial) return fetched.reply;
    store.markUsed(module, version);
    return fetched.reply;
  }
  async #fetchZip(module, version) {
    const { store, chain, verifier } = this.#o;
    let useStore = true;
    for (; ; ) {
      let upstreamBytes = 0;
      let outcome = null;
      let storeFailed = false;
      const result = await chain.fetchModule({ kind: "zip", module, version }, async (body) => {
        const pending = useStore ? await this.#beginWrite(module, version) : await this.#beginScratchWrite();
        if (pending === null) {
          storeFailed = true;
          throw new RejectedBlob("store not writable");
        }
        try {
          for await (const chunk of body.body) {
            upstreamBytes += chunk.length;
            if (upstreamBytes > maxZipBytes)
              throw new RejectedBlob(`zip is larger than ${maxZipBytes} bytes`);
            await pending.write(chunk);
          }
          if (body.size !== null && upstreamBytes !== body.size) {
            throw new RejectedBlob(`truncated answer: ${upstreamBytes} of ${body.size} bytes`);
          }
          let check;
          try {
            check = await checkModuleZip(pending.path, module, version);
          } catch (err) {
            throw new RejectedBlob(
              `${module}@${version}.zip is not a valid module zip: ${err.message}`
            );
          }
          const verification = await verifier.verify(
            module,
            version,
            "zip",
            check.hash,
            () => this.#filesForGoCheck(module, version, null, pending.path)
          );
          if (verification.status === "mismatch") throw new RejectedBlob(verification.message);
          if (verification.status === "unverified" || !useStore) {
            this.#keepScratch(await pending.detach());
            outcome = { path: pending.path, size: upstreamBytes, stored: false, verification };
            return;
          }
          await pending.commit();
          this.#o.onStored?.(upstreamBytes);
          await this.#storeSidecars(module, version, body, check.hash);
          outcome = {
            path: store.filePath(module, version, "zip"),
            size: upstreamBytes,
            stored: true,
            verification
          };
        } catch (err) {
          await pending.discard().catch(() => {
          });
          if (err instanceof StoreWriteError) {
            storeFailed = true;
          }
          throw err;
        }
      });
      if (storeFailed && useStore) {
        useStore = false;
        continue;
      }
      if (!result.ok || outcome === null) {
        return {
          failure: failureReply(result.ok ? "no answer" : result.message, result.ok ? 502 : result.status)
        };
      }
      const done = outcome;
      const reply = fileReply(
        done.path,
        done.size,
        "application/zip",
        result.source === "direct" ? "direct" : "upstream"
      );
      reply.upstreamBytes = upstreamBytes;
      reply.verification = describeVerification(done.verification);
      if (!done.stored) {
        if (done.verification.status === "unverified") reply.unverified = true;
        else reply.notStored = true;
        reply.headers = { ...reply.headers, "x-goproxy-action-stored": "false", "cache-control": "no-store" };
      } else if (this.#o.policy) {
        const decision = await this.#decideNewVersion(module, version);
        await store.writeMeta(module, version, { verification: reply.verification, decision, decidedAt: /* @__PURE__ */ new Date() }).catch(ignoreStoreWriteError);
        if (decision.action === "deny") return { reply: this.#denied(decision) };
      } else {
        await store.writeMeta(module, version, { verification: reply.verification }).catch(ignoreStoreWriteError);
      }
      return { reply };
    }
  }
  async #beginWrite(module, version) {
    try {
      return await this.#o.store.beginWrite(module, version, "zip");
    } catch (err) {
      if (err instanceof StoreWriteError) return null;
      throw err;
    }
  }
  /** A direct download brings .info and .mod with the zip: keep them (the .mod verified). */
  async #storeSidecars(module, version, body, zipHash) {
    try {
      await this.#storeSidecarsUnguarded(module, version, body, zipHash);
    } catch (err) {
      if (!(err instanceof StoreWriteError)) throw err;
    }
  }
  async #storeSidecarsUnguarded(module, version, body, zipHash) {
    const { store, verifier } = this.#o;
    await store.writeFileAtomic(module, version, "ziphash", Buffer.from(zipHash));
    const direct = body.direct;
    if (!direct) return;
    if (!await store.stat(module, version, "mod")) {
      const v = await verifier.verify(module, version, "mod", hashGoMod(direct.mod));
      if (v.status === "verified" || v.status === "trusted")
        await store.writeFileAtomic(module, version, "mod", direct.mod);
    }
    if (!await store.stat(module, version, "info")) {
      await store.writeFileAtomic(module, version, "info", direct.info);
      await store.addVersionToList(module, version);
    }
  }
  async #filesForGoCheck(module, version, mod, zipPath) {
    const info = await this.#canonicalInfo(module, version);
    const modReply = mod ? null : await this.#mod(module, version);
    const modBytes = mod ?? (modReply?.status === 200 && Buffer.isBuffer(modReply.body) ? modReply.body : null);
    if (info.status !== 200 || !Buffer.isBuffer(info.body) || !modBytes) return null;
    return { info: info.body, mod: modBytes, zipPath };
  }
  async #recordedDecision(module, version) {
    if (!this.#o.policy) return null;
    const meta = await this.#o.store.readMeta(module, version);
    if (meta?.decision && !this.#o.policy.isStale?.(meta.decision, /* @__PURE__ */ new Date())) return meta.decision;
    const decision = await this.#decideNewVersion(module, version);
    await this.#o.store.writeMeta(module, version, { ...meta ?? {}, decision, decidedAt: /* @__PURE__ */ new Date() }).catch(ignoreStoreWriteError);
    return decision;
  }
  async #decideNewVersion(module, version) {
    const infoTime = await this.#infoTime(module, version);
    const latestGoModText = await this.#latestGoMod(module);
    return this.#o.policy.onNewVersion({ module, version, infoTime, latestGoModText, now: /* @__PURE__ */ new Date() });
  }
  async #infoTime(module, version) {
    const reply = await this.#canonicalInfo(module, version);
    if (reply.status !== 200 || !Buffer.isBuffer(reply.body)) return null;
    try {
      const time = JSON.parse(reply.body.toString("utf8")).Time;
      return time ? new Date(time) : null;
    } catch {
      return null;
    }
  }
  /** The go.mod of the module's latest version: where retractions and deprecations live. */
  async #latestGoMod(module) {
    const latest = await this.#fresh("latest", module);
    if (latest.status !== 200 || !Buffer.isBuffer(latest.body)) return null;
    let version;
    try {
      version = JSON.parse(latest.body.toString("utf8")).Version;
    } catch {
      return null;
    }
    if (!version || !isCanonicalVersion(version)) return null;
    const mod = await this.#mod(module, version);
    return mod.status === 200 && Buffer.isBuffer(mod.body) ? mod.body.toString("utf8") : null;
  }
  async #mod(module, version) {
    const { store } = this.#o;
    const stored = await store.readFile(module, version, "mod");
    if (stored) {
      store.markUsed(module, version);
      return bytesReply(stored, "text/plain; charset=utf-8", "store", immutableCache);
    }
    const fetched = await this.#flights.run(`mod ${module}@${version}`, async () => {
      const { chain, verifier } = this.#o;
      const result = await chain.fetchModule({ kind: "mod", module, version }, async (body) => {
        const bytes2 = await readAll(body.body, maxModBytes);
        const verification2 = await verifier.verify(
          module,
          version,
          "mod",
          hashGoMod(bytes2),
          () => this.#filesForGoCheck(module, version, bytes2, null)
        );
        if (verification2.status === "mismatch") throw new RejectedBlob(verification2.message);
        return { bytes: bytes2, verification: verification2 };
      });
      if (!result.ok) return { failure: failureReply(result.message, result.status) };
      const { bytes, verification } = result.value;
      const reply = bytesReply(bytes, "text/plain; charset=utf-8", sourceOf(result.source), immutableCache);
      reply.upstreamBytes = bytes.length;
      reply.verification = describeVerification(verification);
      if (verification.status === "unverified") {
        reply.unverified = true;
      } else if (!await this.#tryStore(module, version, "mod", bytes)) {
        reply.notStored = true;
      }
      return { reply };
    });
    if ("failure" in fetched) return fetched.failure;
    store.markUsed(module, version);
    return fetched.reply;
  }
  async #canonicalInfo(module, version) {
    const { store } = this.#o;
    const stored = await store.readFile(module, version, "info");
    if (stored) return bytesReply(stored, "application/json", "store", immutableCache);
    const fetched = await this.#flights.run(`info ${module}@${version}`, async () => {
      const result = await this.#o.chain.fetchModule({ kind: "info", module, version }, async (body) => {
        const bytes = await readAll(body.body, maxSmallAnswerBytes);
        const answered = parseInfoVersion(bytes);
        if (answered !== version) {
          throw new RejectedBlob(`upstream returned info for version ${answered} instead of ${version}`);
        }
        return bytes;
      });
      if (!result.ok) return { failure: failureReply(result.message, result.status) };
      const reply = bytesReply(result.value, "application/json", sourceOf(result.source), immutableCache);
      reply.upstreamBytes = result.value.length;
      if (await this.#tryStore(module, version, "info", result.value)) {
        await this.#o.store.addVersionToList(module, version).catch(() => {
        });
      } else {
        reply.notStored = true;
      }
      return { reply };
    });
    return "failure" in fetched ? fetched.failure : fetched.reply;
  }
  /** A branch, tag or commit query: always asked upstream; the last answer is the fallback. */
  async #query(module, query) {
    const result = await this.#o.chain.fetchModule({ kind: "info", module, version: query }, async (body) => {
      const bytes = await readAll(body.body, maxSmallAnswerBytes);
      const resolved = parseInfoVersion(bytes);
      if (!isCanonicalVersion(resolved))
        throw new RejectedBlob(`upstream resolved ${query} to a non-canonical "${resolved}"`);
      return bytes;
    });
    return this.#freshOrStale(result, `query/${query}`, module, "application/json");
  }
  async #fresh(kind, module) {
    const result = await this.#o.chain.fetchModule({ kind, module }, async (body) => {
      const bytes = await readAll(body.body, maxSmallAnswerBytes);
      if (kind === "latest") parseInfoVersion(bytes);
      return bytes;
    });
    return this.#freshOrStale(
      result,
      kind,
      module,
      kind === "list" ? "text/plain; charset=utf-8" : "application/json"
    );
  }
  async #freshOrStale(result, name, module, contentType) {
    const { stale } = this.#o;
    if (result.ok) {
      const bytes = result.value;
      await stale.save(module, name, bytes).catch(() => {
      });
      const reply = bytesReply(bytes, contentType, sourceOf(result.source), shortLivedCache);
      reply.upstreamBytes = bytes.length;
      return reply;
    }
    if (result.status === 502) {
      const saved = await stale.load(module, name);
      if (saved) {
        const reply = bytesReply(saved, contentType, "store", "no-store");
        reply.stale = true;
        reply.headers = { ...reply.headers, "x-goproxy-action-stale": "true; upstream failed" };
        return reply;
      }
    }
    return failureReply(result.message, result.status);
  }
  async #tryStore(module, version, ext, bytes) {
    try {
      await this.#o.store.writeFileAtomic(module, version, ext, bytes);
      this.#o.onStored?.(bytes.length);
      return true;
    } catch (err) {
      if (err instanceof StoreWriteError) return false;
      throw err;
    }
  }
  async #beginScratchWrite() {
    this.#scratchDir ??= mkdtemp3(join7(tmpdir3(), "goproxy-action-scratch-"));
    return beginAtomicWrite(join7(await this.#scratchDir, "blob.zip"));
  }
  #keepScratch(path) {
    this.#scratch.add(path);
    setTimeout(() => {
      this.#scratch.delete(path);
      rm3(path, { force: true }).catch(() => {
      });
    }, 12e4).unref();
  }
};
function ignoreStoreWriteError(err) {
  if (!(err instanceof StoreWriteError)) throw err;
}
function parseInfoVersion(bytes) {
  let parsed;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new RejectedBlob("upstream answered with invalid JSON for .info");
  }
  if (typeof parsed.Version !== "string") throw new RejectedBlob("upstream .info has no Version");
  return parsed.Version;
}
function sourceOf(source) {
  return source === "direct" ? "direct" : "upstream";
}
function describeVerification(v) {
  switch (v.status) {
    case "verified":
      return `verified:${v.by}`;
    case "trusted":
      return "trusted:first-use";
    case "unverified":
      return `unverified:${v.reason}`;
    case "mismatch":
      return "mismatch";
  }
}
function fileReply(file, size, contentType, source) {
  return {
    status: 200,
    contentType,
    body: { file, size },
    headers: { "cache-control": immutableCache },
    source
  };
}
function bytesReply(body, contentType, source, cacheControl) {
  return { status: 200, contentType, body, headers: { "cache-control": cacheControl }, source };
}
function failureReply(message, status) {
  if (status === 404) return textReply(404, `not found: ${message}`);
  return textReply(502, `goproxy-action: upstream failed: ${message}`);
}

// src/proxy/proxy-server.ts
import { randomBytes as randomBytes2, timingSafeEqual } from "node:crypto";
import { open as open4 } from "node:fs/promises";
import { createServer } from "node:http";

// src/proxy/audit-log.ts
import { createWriteStream } from "node:fs";
var AuditLog = class {
  #stream;
  constructor(file) {
    this.#stream = createWriteStream(file, { flags: "a", mode: 384 });
  }
  write(entry) {
    this.#stream.write(`${JSON.stringify(entry)}
`);
  }
  close() {
    return new Promise((resolve3) => this.#stream.end(resolve3));
  }
};

// src/proxy/request-path.ts
var BadRequestError = class extends Error {
  name = "BadRequestError";
  status;
  constructor(message, status = 400) {
    super(message);
    this.status = status;
  }
};
var maxPathLength = 2048;
var sumdbSubpathPattern = /^(supported|latest|lookup\/[!-~]+|tile\/\d+\/(data|\d+)(\/x\d{3})*\/\d{3}(\.p\/\d+)?)$/;
function parseRequestPath(rawUrl) {
  const rawPath = rawUrl.split("?")[0] ?? "";
  if (rawPath.length > maxPathLength)
    throw new BadRequestError(`request path is longer than ${maxPathLength} bytes`, 414);
  if (!rawPath.startsWith("/")) throw new BadRequestError("request path must start with /");
  if (rawPath === "/" || rawPath === "") return { type: "root" };
  const segments = rawPath.slice(1).split("/").map((raw) => {
    let segment;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw new BadRequestError(`"${raw}" is not valid percent-encoding`);
    }
    if (segment.includes("/"))
      throw new BadRequestError("encoded slashes are not valid in a module proxy path");
    return segment;
  });
  const path = `/${segments.join("/")}`;
  if (/[\u0000-\u001f\u007f\\]/.test(path))
    throw new BadRequestError("control characters and backslashes are not valid here");
  if (segments.some((s) => s === ".." || s === "."))
    throw new BadRequestError('"." and ".." are not valid path elements');
  if (segments[0] === "_admin") return { type: "admin", action: segments.slice(1).join("/") };
  if (segments[0] === "sumdb") return parseSumdb(segments);
  return parseModule(path.slice(1));
}
function parseSumdb(segments) {
  const name = segments[1] ?? "";
  const subpath = segments.slice(2).join("/");
  if (!/^[a-z0-9.-]+(:\d+)?$/i.test(name))
    throw new BadRequestError(`"${name}" is not a checksum database name`);
  if (!sumdbSubpathPattern.test(subpath)) {
    throw new BadRequestError(`"${subpath}" is not a checksum database request`, 404);
  }
  return { type: "sumdb", name, subpath };
}
function parseModule(rest) {
  let escaped;
  let kind;
  let escapedVersion = null;
  if (rest.endsWith("/@latest")) {
    escaped = rest.slice(0, -"/@latest".length);
    kind = "latest";
  } else {
    const at = rest.lastIndexOf("/@v/");
    if (at < 0)
      throw new BadRequestError("not a module proxy path: expected <module>/@v/... or <module>/@latest", 404);
    escaped = rest.slice(0, at);
    const file = rest.slice(at + "/@v/".length);
    if (file === "list") {
      kind = "list";
    } else {
      const dot = file.lastIndexOf(".");
      const ext = dot < 0 ? "" : file.slice(dot + 1);
      if (ext !== "info" && ext !== "mod" && ext !== "zip") {
        throw new BadRequestError(
          `"${file}" is not a module proxy file: expected list, <version>.info, .mod or .zip`,
          404
        );
      }
      kind = ext;
      escapedVersion = file.slice(0, dot);
    }
  }
  let module;
  try {
    module = unescapePath(escaped);
    checkModulePath(module);
  } catch (err) {
    throw new BadRequestError(`invalid module path "${escaped}": ${messageOf(err)}`);
  }
  let version = null;
  if (escapedVersion !== null) {
    try {
      version = unescapeVersion(escapedVersion);
    } catch (err) {
      throw new BadRequestError(`invalid version "${escapedVersion}": ${messageOf(err)}`);
    }
    if (version === "" || version.includes("/"))
      throw new BadRequestError(`invalid version "${escapedVersion}"`);
    if (kind === "mod" || kind === "zip") {
      if (!isCanonicalVersion(version)) {
        throw new BadRequestError(
          `${module}@${version}: .${kind} is served only for canonical versions (vX.Y.Z)`,
          404
        );
      }
      const split = splitPathVersion(module);
      try {
        checkPathMajor(version, split?.pathMajor ?? "");
      } catch (err) {
        throw new BadRequestError(`${module}@${version}: ${messageOf(err)}`, 404);
      }
    }
  }
  return { type: "module", kind, module, version, escaped };
}
function messageOf(err) {
  if (err instanceof ModulePathError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

// src/proxy/proxy-server.ts
var ProxyServer = class {
  #parts;
  #server;
  #audit;
  token;
  #url = "";
  constructor(parts) {
    this.#parts = parts;
    this.token = parts.adminToken || randomBytes2(24).toString("hex");
    this.#audit = parts.auditLogFile ? new AuditLog(parts.auditLogFile) : null;
    this.#server = createServer({ keepAliveTimeout: 3e4 }, (req, res) => {
      this.#handle(req, res).catch((err) => {
        if (!res.headersSent) {
          writeReply(
            res,
            textReply(500, `goproxy-action: internal error: ${err.message}`),
            false
          ).catch(() => {
          });
        } else {
          res.destroy();
        }
      });
    });
  }
  get url() {
    return this.#url;
  }
  get adminUrl() {
    return `${this.#url}/_admin`;
  }
  async listen(host, port) {
    await new Promise((resolve3, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, host, () => resolve3());
    });
    const address = this.#server.address();
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
    this.#url = `http://${host === "0.0.0.0" || host === "::" ? "127.0.0.1" : shownHost}:${address.port}`;
    return this.#url;
  }
  /** Stop accepting, finish what is in flight (blob writes included), close the log. */
  async close() {
    const closed = new Promise((resolve3) => this.#server.close(() => resolve3()));
    await this.#parts.modules.close();
    this.#server.closeIdleConnections();
    const timer = setTimeout(() => this.#server.closeAllConnections(), 2e3);
    await closed;
    clearTimeout(timer);
    await this.#audit?.close();
  }
  async #handle(req, res) {
    const started = performance.now();
    let parsed;
    try {
      parsed = parseRequestPath(req.url ?? "/");
    } catch (err) {
      const status = err instanceof BadRequestError ? err.status : 400;
      await writeReply(
        res,
        textReply(status, `goproxy-action: ${err.message}`),
        req.method === "HEAD"
      );
      return;
    }
    if (parsed.type === "admin") {
      await this.#admin(parsed.action, req, res);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      await writeReply(res, textReply(405, "goproxy-action: the module proxy protocol is GET only"), false);
      return;
    }
    if (parsed.type === "root") {
      await writeReply(
        res,
        textReply(200, "goproxy-action module proxy: set GOPROXY to this URL"),
        req.method === "HEAD"
      );
      return;
    }
    let reply;
    let kind;
    let module = null;
    let version = null;
    if (parsed.type === "sumdb") {
      kind = "sumdb";
      reply = await this.#parts.sumdb.handle(parsed.name, parsed.subpath);
    } else {
      kind = parsed.kind;
      module = parsed.module;
      version = parsed.version;
      reply = await this.#parts.modules.handle(parsed.kind, parsed.module, parsed.version);
    }
    const bytes = await writeReply(res, reply, req.method === "HEAD");
    const durationMs = performance.now() - started;
    this.#parts.stats.record({
      kind,
      module,
      version,
      status: reply.status,
      source: reply.source,
      bytes,
      durationMs,
      ...reply.upstreamBytes !== void 0 ? { upstreamBytes: reply.upstreamBytes } : {},
      ...reply.stale ? { stale: true } : {},
      ...reply.unverified ? { unverified: true } : {},
      ...reply.notStored ? { notStored: true } : {},
      ...reply.denial ? { denial: reply.denial } : {}
    });
    this.#audit?.write({
      time: (/* @__PURE__ */ new Date()).toISOString(),
      module,
      version,
      kind,
      source: reply.source,
      status: reply.status,
      bytes,
      durationMs: Math.round(durationMs * 100) / 100,
      ...reply.verification ? { verification: reply.verification } : {},
      ...reply.denial ? { decision: { action: "deny", ...reply.denial } } : {}
    });
  }
  async #admin(action, req, res) {
    if (action === "healthz") {
      await writeReply(res, textReply(200, "ok"), false);
      return;
    }
    if (!this.#authorized(req.headers.authorization)) {
      await writeReply(
        res,
        textReply(401, "goproxy-action admin: send Authorization: Bearer <token from the ready file>"),
        false
      );
      return;
    }
    const json = (value) => ({
      status: 200,
      contentType: "application/json",
      body: Buffer.from(`${JSON.stringify(value)}
`),
      headers: { "cache-control": "no-store" },
      source: "none"
    });
    const { store, modules, stats } = this.#parts;
    if (action === "stats" && req.method === "GET") {
      const snapshot = stats.snapshot();
      snapshot.store = { ...snapshot.store, ...await store.summary() };
      await writeReply(res, json(snapshot), false);
    } else if (action === "flush" && req.method === "POST") {
      await modules.settle();
      await writeReply(res, json({ flushed: true }), false);
    } else if (action === "prune" && req.method === "POST") {
      await modules.settle();
      await writeReply(res, json(await store.prune()), false);
    } else if (action === "shutdown" && req.method === "POST") {
      await writeReply(res, json({ shuttingDown: true }), false);
      this.#parts.onShutdownRequest?.();
    } else {
      await writeReply(
        res,
        textReply(404, `goproxy-action admin: unknown action "${req.method} ${action}"`),
        false
      );
    }
  }
  #authorized(header) {
    const match = /^Bearer (.+)$/.exec(header ?? "");
    if (!match) return false;
    const given = Buffer.from(match[1]);
    const want = Buffer.from(this.token);
    return given.length === want.length && timingSafeEqual(given, want);
  }
};
async function writeReply(res, reply, headOnly) {
  const size = Buffer.isBuffer(reply.body) ? reply.body.length : reply.body.size;
  res.writeHead(reply.status, {
    "content-type": reply.contentType,
    "content-length": String(size),
    ...reply.headers
  });
  if (headOnly) {
    res.end();
    return 0;
  }
  if (Buffer.isBuffer(reply.body)) {
    res.end(reply.body);
    return size;
  }
  await sendFile(res, reply.body.file, size);
  return size;
}
var chunkSize = 256 << 10;
var spareChunks = [];
async function sendFile(res, file, size) {
  const handle = await open4(file, "r");
  const chunk = spareChunks.pop() ?? Buffer.allocUnsafeSlow(chunkSize);
  let onClose = () => {
  };
  const closed = new Promise((_, reject) => {
    onClose = () => reject(new Error("client closed the connection"));
    res.once("close", onClose);
  });
  closed.catch(() => {
  });
  try {
    let position = 0;
    while (position < size) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunkSize, size - position), position);
      if (bytesRead === 0) throw new Error(`${file} is shorter than ${size} bytes`);
      position += bytesRead;
      await Promise.race([
        closed,
        new Promise(
          (resolve3, reject) => res.write(chunk.subarray(0, bytesRead), (err) => err ? reject(err) : resolve3())
        )
      ]);
    }
    res.end();
  } finally {
    res.off("close", onClose);
    if (spareChunks.length < 64) spareChunks.push(chunk);
    await handle.close();
  }
}

// src/proxy/proxy-stats.ts
var kinds = ["list", "info", "mod", "zip", "latest", "sumdb"];
var maxSamples = 4096;
function emptyCounters() {
  return {
    requests: 0,
    hits: 0,
    misses: 0,
    upstreamFetches: 0,
    upstreamBytes: 0,
    servedBytes: 0,
    errors: 0,
    staleServed: 0,
    unverified: 0,
    notStored: 0,
    denied: 0
  };
}
var LatencyReservoir = class {
  #samples = [];
  #seen = 0;
  add(ms) {
    this.#seen++;
    if (this.#samples.length < maxSamples) {
      this.#samples.push(ms);
      return;
    }
    const slot = Math.floor(Math.random() * this.#seen);
    if (slot < maxSamples) this.#samples[slot] = ms;
  }
  percentile(p) {
    if (this.#samples.length === 0) return 0;
    const sorted = [...this.#samples].sort((a, b) => a - b);
    const index = Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
    return Math.round(sorted[Math.max(0, index)] * 100) / 100;
  }
};
var ProxyStats = class {
  #startedAt = /* @__PURE__ */ new Date();
  #totals = emptyCounters();
  #byKind = new Map(kinds.map((k) => [k, emptyCounters()]));
  #latency = new Map(kinds.map((k) => [k, new LatencyReservoir()]));
  #modules = /* @__PURE__ */ new Map();
  #denials = /* @__PURE__ */ new Map();
  #addedFiles = 0;
  #addedBytes = 0;
  record(outcome) {
    const targets = [this.#totals, this.#byKind.get(outcome.kind)];
    if (outcome.module) {
      let m = this.#modules.get(outcome.module);
      if (!m) {
        m = { ...emptyCounters(), versions: /* @__PURE__ */ new Set() };
        this.#modules.set(outcome.module, m);
      }
      if (outcome.version && outcome.status === 200) m.versions.add(outcome.version);
      targets.push(m);
    }
    for (const c of targets) {
      c.requests++;
      if (outcome.status === 200) {
        c.servedBytes += outcome.bytes;
        if (outcome.source === "store") c.hits++;
        else c.misses++;
      } else if (outcome.status >= 500 || outcome.status >= 400 && outcome.status !== 404 && outcome.status !== 410) {
        c.errors++;
      }
      if (outcome.upstreamBytes !== void 0) {
        c.upstreamFetches++;
        c.upstreamBytes += outcome.upstreamBytes;
      }
      if (outcome.stale) c.staleServed++;
      if (outcome.unverified) c.unverified++;
      if (outcome.notStored) c.notStored++;
      if (outcome.denial) c.denied++;
    }
    this.#latency.get(outcome.kind).add(outcome.durationMs);
    if (outcome.denial && outcome.module) {
      const key = `${outcome.module}@${outcome.version ?? ""}#${outcome.denial.rule}`;
      const existing = this.#denials.get(key);
      if (existing) existing.count++;
      else {
        this.#denials.set(key, {
          module: outcome.module,
          version: outcome.version,
          kind: outcome.kind,
          rule: outcome.denial.rule,
          reason: outcome.denial.reason,
          count: 1
        });
      }
    }
  }
  recordStored(bytes) {
    this.#addedFiles++;
    this.#addedBytes += bytes;
  }
  snapshot() {
    const byKind = {};
    for (const kind of kinds) {
      const latency = this.#latency.get(kind);
      byKind[kind] = {
        ...this.#byKind.get(kind),
        p50Ms: latency.percentile(50),
        p95Ms: latency.percentile(95)
      };
    }
    const modules = [...this.#modules.entries()].map(([path, { versions, ...counters }]) => ({ path, versions: [...versions].sort(), ...counters })).sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    return {
      startedAt: this.#startedAt.toISOString(),
      uptimeMs: Date.now() - this.#startedAt.getTime(),
      totals: { ...this.#totals },
      byKind,
      modules,
      denials: [...this.#denials.values()],
      store: { addedFiles: this.#addedFiles, addedBytes: this.#addedBytes }
    };
  }
};

// src/proxy/seed-verifier.ts
import { readFile as readFile3 } from "node:fs/promises";
function goSumSeedVerifier(goSum) {
  return async (module, version, files) => {
    const zipHashes = goSum.zipHash(module, version);
    const modHashes = goSum.modHash(module, version);
    if (zipHashes.length === 0 && modHashes.length === 0) return false;
    if (files.zip) {
      if (zipHashes.length === 0) return false;
      try {
        if (!zipHashes.includes((await checkModuleZip(files.zip, module, version)).hash)) return false;
      } catch {
        return false;
      }
    }
    if (files.mod) {
      if (modHashes.length === 0) return false;
      if (!modHashes.includes(hashGoMod(await readFile3(files.mod)))) return false;
    }
    return Boolean(files.zip || files.mod);
  };
}

// src/proxy/stale-answers.ts
import { readFile as readFile4 } from "node:fs/promises";
var StaleAnswers = class {
  #root;
  constructor(storeRoot) {
    this.#root = storeRoot;
  }
  #path(module, name) {
    const file = name.startsWith("query/") ? `query-${escapeVersion(name.slice("query/".length))}` : name;
    return joinInside(
      this.#root,
      [".goproxy-action", "answers", ...escapePath(module).split("/"), file],
      "answer"
    );
  }
  async save(module, name, bytes) {
    await writeFileAtomic(this.#path(module, name), bytes);
  }
  async load(module, name) {
    try {
      return await readFile4(this.#path(module, name));
    } catch {
      return null;
    }
  }
};

// src/proxy/sumdb-passthrough.ts
var maxSumdbAnswer = 4 << 20;
var SumdbPassthrough = class {
  #o;
  #flights = new SingleFlight();
  constructor(options2) {
    this.#o = options2;
  }
  async handle(name, subpath) {
    if (subpath.startsWith("lookup/")) {
      const module = lookupModule(subpath);
      if (module === null) return textReply(400, `invalid checksum database lookup "${subpath}"`);
      if (this.#o.isNoSum(module)) {
        return textReply(
          403,
          `goproxy-action: ${module} is private (GOPRIVATE/GONOSUMDB): its path is never sent to a checksum database.`
        );
      }
    }
    const result = await this.fetch(name, subpath);
    if (!result.ok) {
      if (subpath === "supported")
        return textReply(404, `checksum database ${name} is not served by the upstream`);
      return textReply(result.status, `goproxy-action: checksum database ${name}: ${result.message}`);
    }
    const immutable = subpath !== "latest";
    return {
      status: 200,
      contentType: "text/plain; charset=utf-8",
      body: result.bytes,
      headers: { "cache-control": immutable ? immutableCache : "no-cache" },
      source: result.source === "store" ? "store" : "upstream",
      ...result.source === "store" ? {} : { upstreamBytes: result.bytes.length }
    };
  }
  /** Fetches (and caches what is immutable); also the transport of the native sumdb client. */
  async fetch(name, subpath) {
    const { store } = this.#o;
    const cacheable = subpath !== "latest";
    if (cacheable) {
      const stored = await store.readSumdb(name, subpath).catch(() => null);
      if (stored) return { ok: true, bytes: stored, source: "store" };
    }
    return this.#flights.run(`${name}/${subpath}`, async () => {
      const result = await this.#fetchUpstream(name, subpath);
      if (result.ok && cacheable) await store.writeSumdb(name, subpath, result.bytes).catch(() => {
      });
      return result;
    });
  }
  async #fetchUpstream(name, subpath) {
    const explicit = this.#o.explicitUrls.get(name);
    if (explicit) {
      if (subpath === "supported") return { ok: true, bytes: Buffer.alloc(0), source: explicit };
      const res = await this.#o.http.get(explicit, subpath);
      if (res.outcome !== "ok")
        return { ok: false, status: res.outcome === "not-found" ? 404 : 502, message: res.message };
      return { ok: true, bytes: await readAll(res.body, maxSumdbAnswer), source: explicit };
    }
    const result = await this.#o.chain.fetchSumdb(
      name,
      subpath,
      (body) => readAll(body.body, maxSumdbAnswer)
    );
    return result.ok ? { ok: true, bytes: result.value, source: result.source } : { ok: false, status: result.status, message: result.message };
  }
};
function lookupModule(subpath) {
  const target = subpath.slice("lookup/".length);
  const at = target.lastIndexOf("@");
  if (at <= 0) return null;
  try {
    return unescapePath(target.slice(0, at));
  } catch {
    return null;
  }
}

// src/proxy/create-proxy.ts
async function createProxy(settings, host, port) {
  const env = settings.env ?? process.env;
  const goBinary = settings.goBinary ?? "go";
  const store = await BlobStore.open(settings.storeDir);
  const goSum = await GoSumIndex.load(settings.goSumFiles);
  const seeded = settings.seedFrom ? await store.seedFromModCache(settings.seedFrom, goSumSeedVerifier(goSum)) : null;
  const isPrivate = (m) => matchPatternList(settings.privatePatterns, m, { foldCase: true });
  const isNoSum = (m) => isPrivate(m) || matchPatternList(settings.noSumPatterns, m, { foldCase: true });
  const http = new HttpUpstream(settings.http);
  const chain = new UpstreamChain({
    entries: parseGoproxyList(settings.upstream),
    ...settings.privateUpstream ? { privateEntries: parseGoproxyList(settings.privateUpstream) } : {},
    isPrivate,
    http,
    direct: new DirectFetcher({ goBinary, env })
  });
  const sumdbSetting = parseGosumdb(settings.gosumdb);
  const explicitUrls = /* @__PURE__ */ new Map();
  if (sumdbSetting.url) explicitUrls.set(sumdbSetting.name, sumdbSetting.url.replace(/\/+$/, ""));
  const sumdb = new SumdbPassthrough({ store, chain, http, explicitUrls, isNoSum });
  let selfUrl = "";
  let sumdbLookup = null;
  if (!sumdbSetting.off && sumdbSetting.key) {
    const { SumdbClient } = await import("./sumdb-client-GNQIXFWR.js");
    const client = new SumdbClient({
      name: sumdbSetting.name,
      key: sumdbSetting.key,
      fetch: async (path) => {
        const result = await sumdb.fetch(sumdbSetting.name, path);
        if (result.ok) return new Uint8Array(result.bytes);
        if (result.status === 404 || result.status === 410) return null;
        throw new Error(result.message);
      }
    });
    sumdbLookup = (module, version) => client.lookup(module, version);
  }
  const verifier = new BlobVerifier({
    goSum,
    isNoSum,
    sumdbName: sumdbSetting.off ? null : sumdbSetting.name,
    sumdbLookup,
    goCommandCheck: sumdbSetting.off || sumdbSetting.key ? null : goCommandSumdbCheck({ goBinary, gosumdb: settings.gosumdb, selfUrl: () => selfUrl, env })
  });
  const stats = new ProxyStats();
  const modules = new ModuleService({
    store,
    chain,
    verifier,
    stale: new StaleAnswers(settings.storeDir),
    policy: settings.policy ?? null,
    onStored: (bytes) => stats.recordStored(bytes)
  });
  const server = new ProxyServer({
    store,
    modules,
    sumdb,
    stats,
    auditLogFile: settings.auditLogFile ?? null,
    adminToken: settings.adminToken ?? null,
    ...settings.onShutdownRequest ? { onShutdownRequest: settings.onShutdownRequest } : {}
  });
  selfUrl = await server.listen(host, port);
  return {
    url: selfUrl,
    seeded,
    adminUrl: server.adminUrl,
    token: server.token,
    server,
    store,
    stats,
    close: async () => {
      await server.close();
      await http.close();
    }
  };
}

// src/proxy/user-cache-dir.ts
import { homedir } from "node:os";
import { join as join8 } from "node:path";
function userCacheDir(env = process.env, platform = process.platform) {
  if (platform === "win32") return env.LocalAppData ?? join8(homedir(), "AppData", "Local");
  if (platform === "darwin") return join8(homedir(), "Library", "Caches");
  return env.XDG_CACHE_HOME?.startsWith("/") ? env.XDG_CACHE_HOME : join8(homedir(), ".cache");
}

// src/cli/serve-command.ts
var help = `usage: goproxy-action serve [options]

Runs a Go module proxy that serves from a verified local blob store and fetches what it
lacks from the upstream. Point the go command at the URL it prints.

options:
  --listen HOST:PORT       address to listen on (default 127.0.0.1:0: a free loopback port)
  --store DIR              blob store, in the module cache's download layout
                           (default <user cache dir>/goproxy-action/store)
  --upstream LIST          upstream in GOPROXY syntax (default: go env GOPROXY)
  --private-upstream LIST  upstream for private modules (default: direct)
  --private PATTERNS       more private module patterns (GOPRIVATE syntax); repeatable.
                           Always included: go env GOPRIVATE, GONOPROXY
  --gosumdb VALUE          checksum database (default: go env GOSUMDB)
  --policy FILE            module policy (default: .goproxy.yml in the current directory, if any)
  --go-sum FILE            go.sum to verify against; repeatable (default: every go.sum below
                           the current directory)
  --seed-from DIR          copy verified versions from a module cache's download dir
                           (e.g. $(go env GOMODCACHE)/cache/download) into the store first
  --ready-file FILE        when ready, write {"url","pid","adminUrl","token"} there (mode 0600)
  --audit-log FILE         append one JSON line per request
  --admin-token-env NAME   take the admin token from this environment variable
  -h, --help               show this help`;
var serveCommand = {
  summary: "run the Go module proxy",
  async run(args) {
    const { values } = parseServeArgs(args);
    if (values.help) {
      process.stdout.write(`${help}
`);
      return 0;
    }
    const [host, port] = parseListen(values.listen ?? "127.0.0.1:0");
    const goEnv = await readGoEnv(["GOPROXY", "GOSUMDB", "GOPRIVATE", "GONOPROXY", "GONOSUMDB"], {
      whenGoMissing: "environment"
    });
    const upstream = values.upstream ?? goEnv.GOPROXY;
    if (!upstream) throw new UsageError("no upstream: go env GOPROXY is empty; pass --upstream LIST");
    const loaded = await loadPolicy({
      workspace: process.cwd(),
      ...values.policy ? { explicitPath: values.policy } : {}
    });
    if (loaded.message) process.stderr.write(`goproxy-action: ${loaded.message}
`);
    const privatePatterns = privatePatternsFrom(
      goEnv.GOPRIVATE,
      goEnv.GONOPROXY,
      values.private ?? [],
      loaded.policy?.private ?? []
    );
    const policy = loaded.policy ? new ProxyPolicy(loaded.policy, { extraPrivatePatterns: privatePatterns }) : null;
    const privateUpstream = values["private-upstream"] ?? loaded.policy?.privateUpstream ?? null;
    const noSumPatterns = privatePatternsFrom(goEnv.GONOSUMDB, privatePatterns);
    const storeDir = resolve2(values.store ?? join9(userCacheDir(), "goproxy-action", "store"));
    const goSumFiles = (values["go-sum"] ?? []).map((f) => resolve2(f));
    if (goSumFiles.length === 0) goSumFiles.push(...await findModuleFiles(process.cwd(), ["go.sum"]));
    let adminToken = null;
    if (values["admin-token-env"]) {
      adminToken = process.env[values["admin-token-env"]] ?? "";
      if (adminToken.length < 16) {
        throw new UsageError(
          `--admin-token-env ${values["admin-token-env"]}: the variable must hold a token of at least 16 characters`
        );
      }
    }
    let stopping = null;
    const proxy = await createProxy(
      {
        storeDir,
        upstream,
        privateUpstream,
        policy,
        privatePatterns,
        noSumPatterns,
        gosumdb: values.gosumdb ?? goEnv.GOSUMDB,
        goSumFiles,
        seedFrom: values["seed-from"] ? resolve2(values["seed-from"]) : null,
        auditLogFile: values["audit-log"] ? resolve2(values["audit-log"]) : null,
        adminToken,
        onShutdownRequest: () => {
          stop();
        }
      },
      host,
      port
    );
    const stop = () => {
      stopping ??= proxy.close().then(() => {
        process.stderr.write("goproxy-action: stopped\n");
        process.exit(0);
      });
      return stopping;
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    if (values["ready-file"]) {
      const ready = { url: proxy.url, pid: process.pid, adminUrl: proxy.adminUrl, token: proxy.token };
      await writeFile2(values["ready-file"], `${JSON.stringify(ready)}
`, { mode: 384 });
    }
    process.stdout.write(
      [
        `goproxy-action: serving Go modules at ${proxy.url}`,
        `  store:    ${storeDir}`,
        `  upstream: ${upstream}${privatePatterns.length ? `  (private: ${privatePatterns.join(",")} via ${privateUpstream ?? "direct"})` : ""}`,
        `  policy:   ${loaded.source ?? "none"}`,
        `  go.sum:   ${goSumFiles.length} file(s)`,
        ...proxy.seeded ? [`  seeded:   ${proxy.seeded.copied} version(s) from ${values["seed-from"]}`] : [],
        "point the go command at it:",
        `  export GOPROXY=${proxy.url}`,
        ""
      ].join("\n")
    );
    await new Promise(() => {
    });
    return 0;
  }
};
function parseServeArgs(args) {
  try {
    return parseArgs({
      args,
      options: {
        listen: { type: "string" },
        store: { type: "string" },
        upstream: { type: "string" },
        "private-upstream": { type: "string" },
        private: { type: "string", multiple: true },
        gosumdb: { type: "string" },
        policy: { type: "string" },
        "go-sum": { type: "string", multiple: true },
        "ready-file": { type: "string" },
        "seed-from": { type: "string" },
        "audit-log": { type: "string" },
        "admin-token-env": { type: "string" },
        help: { type: "boolean", short: "h" }
      },
      strict: true,
      allowPositionals: false
    });
  } catch (err) {
    throw new UsageError(`${err.message} (see --help)`);
  }
}
function parseListen(value) {
  const match = /^(\[[0-9a-fA-F:]+\]|[^:]+):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match || port > 65535) throw new UsageError(`--listen ${value}: write HOST:PORT, e.g. 127.0.0.1:0`);
  return [match[1].replace(/^\[|\]$/g, ""), port];
}
export {
  serveCommand
};
