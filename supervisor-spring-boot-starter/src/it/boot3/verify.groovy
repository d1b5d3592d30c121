// The application stopped with the starter's report, not with a linkage error.
def log = new File(basedir, 'build.log').text
assert log.contains('APPLICATION FAILED TO START')
assert log.contains('The rustrade supervisor starter needs Spring Boot 4.x (Spring Framework 7.x), but this application runs Spring Boot 3.5.7 on Spring Framework 6.2.')
assert log.contains('Upgrade the application to Spring Boot 4.0 or later (its parent POM or BOM), or remove io.rustrade:supervisor-spring-boot-starter.')
assert !log.contains('NoClassDefFoundError')
